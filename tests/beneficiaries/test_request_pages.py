"""Filing a request with its dossier, its life cycle on screen, the review queue, and scope on
every page: a user of another district gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries.models import Document, SupportRequest
from beneficiaries.services import request_transition
from sampledata.demo import DEMO_PDF
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def facility(province):
    return f.FacilityFactory(unit=province.commune)


@pytest.fixture
def draft(facility):
    return f.SupportRequestFactory(facility=facility, dossier=False)


def detail(req):
    return reverse("beneficiaries:request_detail", args=[req.pk])


def act(client, req, name, **data):
    url = reverse("beneficiaries:request_transition", args=[req.pk, name])
    return client.post(url, data, follow=True).content.decode()


def test_a_district_user_files_a_request_for_a_facility(login, district_user, facility):
    activity = f.ActivityTypeFactory()
    client = login(district_user)
    form = client.get(reverse("beneficiaries:request_create") + f"?facility={facility.pk}")
    assert form.context["form"].initial["facility"] == facility
    response = client.post(
        reverse("beneficiaries:request_create"),
        {
            "facility": facility.pk,
            "year": 2024,
            "activity_type": activity.pk,
            "content": "Máy vò chè",
            "total_cost": "350.000.000",
            "counterpart": "175.000.000",
            "support_requested": "0,175 tỷ",
            "new_technology": "on",
        },
    )
    req = SupportRequest.objects.get()
    assert response.url == detail(req)
    assert req.status == "draft" and req.support_requested == 175_000_000 and req.new_technology


def test_support_and_counterpart_beyond_the_cost_is_explained(login, district_user, facility):
    response = login(district_user).post(
        reverse("beneficiaries:request_create"),
        {
            "facility": facility.pk,
            "year": 2024,
            "activity_type": f.ActivityTypeFactory().pk,
            "content": "Máy",
            "total_cost": "100.000.000",
            "counterpart": "60.000.000",
            "support_requested": "50.000.000",
        },
    )
    assert "không được vượt tổng kinh phí" in response.content.decode()
    assert not SupportRequest.objects.exists()


def test_the_checklist_shows_what_is_missing_and_submit_waits_for_it(login, district_user, draft):
    client = login(district_user)
    page = client.get(detail(draft)).content.decode()
    assert "Danh mục hồ sơ" in page and "Còn thiếu" in page and "Báo giá máy móc, thiết bị" in page
    assert "Hồ sơ còn thiếu tài liệu bắt buộc" in act(client, draft, "submit")
    for kind, _ in draft.dossier_checklist():
        client.post(
            reverse("beneficiaries:request_document_upload", args=[draft.pk]),
            {"kind": kind.pk, "file": SimpleUploadedFile("scan.pdf", DEMO_PDF)},
        )
    assert "Đủ hồ sơ bắt buộc" in client.get(detail(draft)).content.decode()
    act(client, draft, "submit")
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_a_file_is_judged_by_its_content_not_its_name(login, district_user, draft):
    client = login(district_user)
    page = client.post(
        reverse("beneficiaries:request_document_upload", args=[draft.pk]),
        {"file": SimpleUploadedFile("hop-dong.pdf", b"MZ\x90\x00 not a pdf at all")},
        follow=True,
    ).content.decode()
    assert "không phải là loại được nhận" in page
    assert not Document.objects.exists()


def test_a_document_refused_after_its_file_was_stored_leaves_no_file(
    login, district_user, facility, media_root
):
    # 200 characters typed, 400 once stored (NFC splits क़): the title's column refuses it.
    page = login(district_user).post(
        reverse("beneficiaries:facility_document_upload", args=[facility.pk]),
        {"title": "\u0958" * 200, "file": SimpleUploadedFile("giay-phep.pdf", DEMO_PDF)},
        follow=True,
    )
    assert "tối đa 255 kí tự (hiện có 400)" in page.text
    assert not Document.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_a_stored_file_name_is_ours_and_the_download_checks_scope(
    login, district_user, other_district_user, draft, client
):
    login(district_user).post(
        reverse("beneficiaries:request_document_upload", args=[draft.pk]),
        {"file": SimpleUploadedFile("../../etc/passwd.pdf", DEMO_PDF), "title": "Ảnh nhà xưởng"},
    )
    document = Document.objects.get()
    assert "passwd" not in document.file.name and document.file.name.startswith("documents/")
    url = reverse("beneficiaries:document_download", args=[document.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == DEMO_PDF
    client.force_login(other_district_user)
    assert client.get(url).status_code == 404


def test_a_rejected_request_shows_its_reason_to_the_district(
    login, district_user, officer, facility, client
):
    req = f.SupportRequestFactory(facility=facility)
    act(login(district_user), req, "submit")
    client.force_login(officer)
    assert "Cần nêu lý do" in act(client, req, "reject", reason=" ")
    act(client, req, "reject", reason="Trùng nội dung đã hỗ trợ năm 2022.")
    client.force_login(district_user)
    page = client.get(detail(req)).content.decode()
    assert "Không được chọn" in page and "Trùng nội dung đã hỗ trợ năm 2022." in page
    history = client.get(detail(req)).context["history"]
    assert [row.action for row in history[:2]] == ["Không chọn", "Gửi lên tỉnh"]
    assert history[0].record.history_user == officer


def test_a_double_clicked_submit_submits_once(login, district_user, facility):
    req = f.SupportRequestFactory(facility=facility)
    client = login(district_user)
    act(client, req, "submit")
    second = act(client, req, "submit")
    assert "Không thể “Gửi lên tỉnh” khi đang ở trạng thái “Đã gửi”" in second
    assert req.history.filter(history_change_reason="Gửi lên tỉnh").count() == 1


def test_a_submitted_request_can_no_longer_be_edited(login, district_user, facility):
    req = f.SupportRequestFactory(facility=facility)
    client = login(district_user)
    act(client, req, "submit")
    response = client.get(reverse("beneficiaries:request_edit", args=[req.pk]), follow=True)
    assert "không sửa được nữa" in response.content.decode()


def test_the_review_queue_sums_per_unit_and_activity(
    login, officer, district_user, other_district_user, province
):
    mine = f.FacilityFactory(unit=province.commune)
    theirs = f.FacilityFactory(unit=province.other_commune)
    for facility, support, user in (
        (mine, 100_000_000, district_user),
        (mine, 50_000_000, district_user),
        (theirs, 70_000_000, other_district_user),
    ):
        req = f.SupportRequestFactory(
            facility=facility,
            support_requested=support,
            total_cost=2 * support,
            counterpart=support,
        )
        request_transition(request_id=req.pk, name="submit", user=user)
    f.SupportRequestFactory(facility=mine)  # a draft: not in the queue
    response = login(officer).get(reverse("beneficiaries:request_review_queue"), {"year": 2023})
    by_unit = {r["district"]: r["support"] for r in response.context["by_unit"]}
    assert by_unit == {"Huyện Bắc Quang": 150_000_000, "Huyện Đồng Văn": 70_000_000}
    assert [(year, t["count"]) for year, t in response.context["per_year"]] == [(2023, 3)]
    [activity] = response.context["by_activity"]
    assert activity["support"] == 220_000_000


def test_the_review_queue_is_the_provinces(login, district_user):
    assert (
        login(district_user).get(reverse("beneficiaries:request_review_queue")).status_code == 403
    )


def test_filters_and_text_search_ignore_case_and_accents(login, district_user, province):
    f.FacilityFactory(unit=province.commune, name="Hợp tác xã Chè Bắc Quang")
    f.FacilityFactory(unit=province.commune, name="Cơ sở mộc Việt Lâm", kind="household")
    client = login(district_user)
    names = lambda url: [x.name for x in client.get(url).context["page"]]  # noqa: E731
    assert names("/facilities/?q=bac+quang") == ["Hợp tác xã Chè Bắc Quang"]
    assert names("/facilities/?q=VIET+lam") == ["Cơ sở mộc Việt Lâm"]
    assert names("/facilities/?kind=household") == ["Cơ sở mộc Việt Lâm"]
    assert names("/facilities/?o=-name") == ["Hợp tác xã Chè Bắc Quang", "Cơ sở mộc Việt Lâm"]
    assert names(f"/facilities/?unit={province.district.pk}") == names("/facilities/?o=name")


def test_has_open_requests_filter(login, district_user, province):
    busy = f.FacilityFactory(unit=province.commune)
    f.SupportRequestFactory(facility=busy)
    idle = f.FacilityFactory(unit=province.commune)
    client = login(district_user)
    assert [x.pk for x in client.get("/facilities/?open_requests=1").context["page"]] == [busy.pk]
    assert [x.pk for x in client.get("/facilities/?open_requests=0").context["page"]] == [idle.pk]


@pytest.mark.parametrize(
    "name",
    [
        "request_detail",
        "request_edit",
        "request_document_upload",
    ],
)
def test_another_district_gets_404_on_every_request_page(login, other_district_user, draft, name):
    client = login(other_district_user)
    url = reverse(f"beneficiaries:{name}", args=[draft.pk])
    assert client.get(url).status_code in (404, 405) and client.post(url).status_code == 404


def test_another_district_cannot_act_on_a_request(login, other_district_user, draft):
    url = reverse("beneficiaries:request_transition", args=[draft.pk, "withdraw"])
    assert login(other_district_user).post(url).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_another_district_cannot_file_for_a_facility_it_does_not_see(
    login, other_district_user, facility
):
    client = login(other_district_user)
    assert (
        client.get(reverse("beneficiaries:request_create") + f"?facility={facility.pk}").status_code
        == 404
    )
    response = client.post(
        reverse("beneficiaries:request_create"),
        {
            "facility": facility.pk,
            "year": 2024,
            "activity_type": f.ActivityTypeFactory().pk,
            "content": "x",
            "total_cost": "1",
            "counterpart": "0",
            "support_requested": "1",
        },
    )
    assert response.status_code == 200 and not SupportRequest.objects.exists()
