"""The province's review of requests: chosen into a plan or refused from the request's page and,
several at once, from the queue (by the plan builder's service); the queue of one year at a
time, its date sent and days waiting; what the district sees; the dossier closed once sent and
reopened by "Trả lại bổ sung"."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries import services
from beneficiaries.models import Document, DocumentKind, SupportRequest
from khuyencong.dates import today
from khuyencong.workflow import TransitionRefused
from sampledata.demo import DEMO_PDF
from schemes.models import Plan, Scheme
from schemes.reference import ensure_support_rules
from tests import factories as f

pytestmark = pytest.mark.django_db
TR = 1_000_000
NEXT = today().year + 1
QUEUE = reverse("beneficiaries:request_review_queue")
DECIDE = reverse("beneficiaries:request_queue_decide")


@pytest.fixture(autouse=True)
def rules():
    ensure_support_rules()


def detail(req):
    return reverse("beneficiaries:request_detail", args=[req.pk])


def act(client, req, name, **data):
    url = reverse("beneficiaries:request_transition", args=[req.pk, name])
    return client.post(url, data, follow=True).text


def draft_plan(province, year=NEXT, **kwargs):
    return f.PlanFactory(
        unit=province.province,
        year=year,
        title=f"Kế hoạch khuyến công quốc gia năm {year}",
        status=Plan.Status.DRAFT,
        decision_number="",
        decision_date=None,
        budget=1_000 * TR,
        **kwargs,
    )


def sent(facility, *, year=NEXT, days_ago=0, status=SupportRequest.Status.SUBMITTED, **kwargs):
    return f.SupportRequestFactory(
        facility=facility,
        year=year,
        status=status,
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
        **kwargs,
    )


@pytest.fixture
def facility(province):
    return f.FacilityFactory(unit=province.commune, name="Chè Tân Quang")


# The request's page -------------------------------------------------------------------------


def test_choosing_from_the_page_makes_the_scheme_and_links_the_request(
    login, officer, province, facility
):
    plan = draft_plan(province)
    f.PlanFactory(unit=province.province, year=NEXT - 1, status=Plan.Status.DRAFT, title="Cũ")
    req = sent(facility)
    client = login(officer)
    page = client.get(detail(req)).text
    assert "Chọn vào kế hoạch" in page and plan.title in page and "Cũ" not in page
    for action in ("/choose/", "/transition/reject/", "/transition/return_for_additions/"):
        assert re.search(rf'<form[^>]*action="[^"]*{action}"[^>]*data-confirm="', page), action
    assert "Lập đề án từ đăng ký nhu cầu" not in page  # no more hint in plain text
    response = client.post(
        reverse("beneficiaries:request_choose", args=[req.pk]), {"plan": plan.pk}, follow=True
    )
    scheme = Scheme.objects.get()
    req.refresh_from_db()
    assert req.status == "included" and req.scheme_link.scheme == scheme
    assert scheme.plan == plan and scheme.budget == req.support_requested
    assert f"Đã chọn vào kế hoạch: lập đề án dự thảo {scheme.code}" in response.text
    assert f"{scheme.code} – {scheme.title}" in response.text  # the page shows the scheme
    assert "Chọn vào kế hoạch</button>" not in response.text


def test_without_a_draft_plan_of_its_year_the_page_says_so_and_links_to_creating_one(
    login, officer, province, facility
):
    draft_plan(province, year=NEXT - 1)
    f.PlanFactory(unit=province.province, year=NEXT, status=Plan.Status.APPROVED)
    page = login(officer).get(detail(sent(facility))).text
    assert f"Chưa có kế hoạch năm {NEXT} nào còn ở dạng dự thảo" in page
    assert reverse("plans:plan_create") in page


def test_choosing_into_a_plan_no_longer_in_draft_is_refused(login, officer, province, facility):
    plan = f.PlanFactory(unit=province.province, year=NEXT, status=Plan.Status.APPROVED)
    req = sent(facility)
    url = reverse("beneficiaries:request_choose", args=[req.pk])
    response = login(officer).post(url, {"plan": plan.pk}, follow=True)
    assert "không còn ở dạng dự thảo" in response.text
    assert response.redirect_chain[-1][0] == detail(req)
    assert not Scheme.objects.exists()


@pytest.mark.parametrize("who", ["district_user", "manager"])
def test_district_and_manager_cannot_choose_or_decide(request, login, province, facility, who):
    plan = draft_plan(province)
    req = sent(facility)
    client = login(request.getfixturevalue(who))
    url = reverse("beneficiaries:request_choose", args=[req.pk])
    assert client.post(url, {"plan": plan.pk}).status_code == 403
    data = {"pick": [req.pk], "plan": plan.pk, "reason": "Không phù hợp."}
    assert client.post(DECIDE, {**data, "action": "include"}).status_code == 403
    assert client.post(DECIDE, {**data, "action": "reject"}).status_code == 403
    assert client.get(detail(req)).text.count("Chọn vào kế hoạch</button>") == 0
    req.refresh_from_db()
    assert req.status == "submitted" and not Scheme.objects.exists()


def test_the_district_sees_only_what_concerns_it(
    login, district_user, officer, province, facility, client
):
    draft_plan(province)
    req = sent(facility)
    client.force_login(district_user)
    page = client.get(detail(req)).text
    for officer_only in (
        "Chọn vào kế hoạch</button>",  # the officer's actions
        "Không chọn…",
        "Trả lại bổ sung…",
        "Nhận xem xét",
        "trang lập kế hoạch",  # and his hints
        "Lập đề án từ đăng ký",
        "<strong>bạn</strong>",
    ):
        assert officer_only not in page, officer_only
    # Refused: the reason. Taken in: the scheme, its code, title and amount.
    refused = sent(facility, activity_type=f.ActivityTypeFactory(code="05.2", name="Bao bì"))
    services.request_transition(
        request_id=refused.pk, name="reject", user=officer, reason="Trùng nội dung năm trước."
    )
    assert "Lý do: Trùng nội dung năm trước." in client.get(detail(refused)).text
    [scheme] = services_include(req, officer, province)
    page = client.get(detail(req)).text
    assert f"{scheme.code} – {scheme.title}" in page and "150.000.000 đ" in page


def services_include(req, user, province):
    from schemes import planning

    plan = Plan.objects.filter(year=req.year, status=Plan.Status.DRAFT).first()
    return planning.build_schemes(plan_id=plan.pk, request_ids=[req.pk], user=user)


def test_the_officer_is_told_the_next_step_is_his(login, officer, province, facility):
    draft_plan(province)
    page = login(officer).get(detail(sent(facility))).text
    assert "Bước tiếp theo: Chọn vào kế hoạch" in page and "<strong>bạn</strong>" in page


# The queue -----------------------------------------------------------------------------------


def test_the_queue_opens_on_next_year_and_never_sums_across_years(login, officer, province):
    here, there = province.commune, province.other_commune
    sent(f.FacilityFactory(unit=here), support_requested=100 * TR, counterpart=100 * TR)
    sent(f.FacilityFactory(unit=there), support_requested=50 * TR, counterpart=50 * TR)
    sent(f.FacilityFactory(unit=here), year=2023, support_requested=80 * TR, counterpart=80 * TR)
    client = login(officer)
    response = client.get(QUEUE)
    assert response.context["one_year"] == NEXT
    [(year, totals)] = response.context["per_year"]
    assert year == NEXT and totals["count"] == 2 and totals["support"] == 150 * TR
    assert {r["district"]: r["support"] for r in response.context["by_unit"]} == {
        "Huyện Bắc Quang": 100 * TR,
        "Huyện Đồng Văn": 50 * TR,
    }
    assert f"Hàng chờ xét duyệt năm {NEXT}" in response.text
    # All years: each year summed apart, no sum of both.
    response = client.get(QUEUE, {"year": ""})
    assert response.context["one_year"] is None
    assert [(y, t["support"]) for y, t in response.context["per_year"]] == [
        (NEXT, 150 * TR),
        (2023, 80 * TR),
    ]
    assert {(r["year"], r["support"]) for r in response.context["by_activity"]} == {
        (NEXT, 150 * TR),
        (2023, 80 * TR),
    }
    assert "230.000.000" not in response.text
    # One past year on its own.
    response = client.get(QUEUE, {"year": "2023"})
    assert [(y, t["count"]) for y, t in response.context["per_year"]] == [(2023, 1)]


def test_the_queue_shows_the_date_sent_and_the_days_waiting(login, officer, facility):
    req = sent(facility, days_ago=12)
    page = login(officer).get(QUEUE).text
    assert timezone.localtime(req.submitted_at).strftime("%d/%m/%Y") in page
    assert req.days_waiting == 12
    assert '<td class="num" data-label="Số ngày chờ">12</td>' in page


def test_the_queue_reads_the_same_number_of_queries_for_more_requests(
    login, officer, province, django_assert_max_num_queries
):
    client = login(officer)
    draft_plan(province)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE).status_code == 200
        return len(captured)

    sent(f.FacilityFactory(unit=province.commune))
    few = queries()
    for commune in (province.commune, province.other_commune) * 4:
        sent(f.FacilityFactory(unit=commune), year=NEXT)
        sent(f.FacilityFactory(unit=commune), year=2023)
    assert queries() == few
    with django_assert_max_num_queries(few):
        client.get(QUEUE, {"year": ""})


def test_several_go_into_the_plan_at_once_and_a_second_sending_is_refused(login, officer, province):
    plan = draft_plan(province)
    picked = [sent(f.FacilityFactory(unit=province.commune)) for _ in range(2)]
    other = sent(f.FacilityFactory(unit=province.other_commune))
    client = login(officer)
    page = client.get(QUEUE).text
    assert 'name="pick"' in page and plan.title in page and "Đưa vào kế hoạch" in page
    data = {"action": "include", "plan": plan.pk, "pick": [r.pk for r in picked], "year": NEXT}
    response = client.post(DECIDE, data, follow=True)
    assert "Đã đưa 2 đăng ký vào kế hoạch: lập 1 đề án dự thảo" in response.text
    assert response.redirect_chain[-1][0] == f"{QUEUE}?year={NEXT}"
    [scheme] = Scheme.objects.all()
    assert scheme.beneficiaries.count() == 2
    again = client.post(DECIDE, {**data, "pick": [picked[0].pk, other.pk]}, follow=True)
    assert "đã được xử lý hoặc không còn chờ xét" in again.text
    assert Scheme.objects.count() == 1
    assert SupportRequest.objects.get(pk=other.pk).status == "submitted"


def test_several_are_refused_with_one_reason_all_or_nothing(login, officer, province):
    one, two, three = (sent(f.FacilityFactory(unit=province.commune)) for _ in range(3))
    client = login(officer)
    data = {"action": "reject", "pick": [one.pk, two.pk], "year": NEXT}
    assert "Cần nêu lý do" in client.post(DECIDE, data, follow=True).text
    assert set(SupportRequest.objects.values_list("status", flat=True)) == {"submitted"}
    response = client.post(DECIDE, {**data, "reason": "Ngoài ngành nghề ưu tiên."}, follow=True)
    assert "Đã ghi “Không chọn” cho 2 đăng ký." in response.text
    for req in (one, two):
        req.refresh_from_db()
        assert req.status == "rejected" and req.reject_reason == "Ngoài ngành nghề ưu tiên."
        assert req.history.first().history_user == officer
    # Sent again with one more: the two already refused stop the whole, the third is untouched.
    twice = client.post(
        DECIDE, {**data, "pick": [one.pk, two.pk, three.pk], "reason": "Lần hai."}, follow=True
    )
    assert "Không đăng ký nào được ghi “Không chọn”" in twice.text
    three.refresh_from_db()
    assert three.status == "submitted"
    assert SupportRequest.objects.get(pk=one.pk).reject_reason == "Ngoài ngành nghề ưu tiên."


def test_the_service_refuses_all_when_one_is_out_of_scope(officer, district_user, province):
    mine = sent(f.FacilityFactory(unit=province.commune))
    draft = f.SupportRequestFactory(facility=f.FacilityFactory(unit=province.commune))
    with pytest.raises(TransitionRefused, match="Không đăng ký nào"):
        services.requests_reject(request_ids=[mine.pk, draft.pk], reason="x", user=officer)
    with pytest.raises(TransitionRefused):
        services.requests_reject(request_ids=[mine.pk], reason="x", user=district_user)
    assert SupportRequest.objects.get(pk=mine.pk).status == "submitted"


# The dossier ---------------------------------------------------------------------------------


def upload(client, req, title="Ảnh nhà xưởng"):
    return client.post(
        reverse("beneficiaries:request_document_upload", args=[req.pk]),
        {"file": SimpleUploadedFile("anh.pdf", DEMO_PDF), "title": title},
        follow=True,
    ).text


def test_the_dossier_closes_once_sent_and_reopens_when_returned(
    login, district_user, officer, facility, client
):
    req = f.SupportRequestFactory(facility=facility, year=NEXT)
    kept = req.documents.first()
    client.force_login(district_user)
    act(client, req, "submit")
    assert "hồ sơ đã khép lại" in upload(client, req)
    page = client.post(reverse("beneficiaries:document_delete", args=[kept.pk]), follow=True).text
    assert "không xóa được" in page and Document.objects.filter(pk=kept.pk).exists()
    assert "Tải hồ sơ lên" not in client.get(detail(req)).text
    # The officer returns it, with a reason kept on the request and in its history.
    client.force_login(officer)
    assert "Cần nêu lý do trả lại" in act(client, req, "return_for_additions", reason="")
    act(client, req, "return_for_additions", reason="Bổ sung ảnh chụp máy móc hiện có.")
    req.refresh_from_db()
    assert req.status == "returned" and req.return_reason == "Bổ sung ảnh chụp máy móc hiện có."
    assert req.history.first().history_change_reason == "Trả lại bổ sung"
    assert req.history.first().return_reason == "Bổ sung ảnh chụp máy móc hiện có."
    # The district sees why, adds a document, edits, and sends again.
    client.force_login(district_user)
    page = client.get(detail(req)).text
    assert "Tỉnh trả lại để bổ sung." in page and "Bổ sung ảnh chụp máy móc hiện có." in page
    assert "Tải hồ sơ lên" in page and "Sửa đăng ký" in page
    upload(client, req, title="Ảnh máy móc hiện có")
    assert req.documents.filter(title="Ảnh máy móc hiện có").exists()
    assert client.get(reverse("beneficiaries:request_edit", args=[req.pk])).status_code == 200
    act(client, req, "submit")
    req.refresh_from_db()
    assert req.status == "submitted"
    assert "hồ sơ đã khép lại" in upload(client, req, title="Muộn")


def test_a_return_needs_a_reason_and_an_officer(district_user, officer, facility):
    req = sent(facility)
    with pytest.raises(TransitionRefused, match="không có quyền"):
        services.request_transition(
            request_id=req.pk, name="return_for_additions", user=district_user, reason="x"
        )
    with pytest.raises(TransitionRefused, match="lý do"):
        services.request_transition(
            request_id=req.pk, name="return_for_additions", user=officer, reason=" "
        )
    # The database keeps a returned request's reason too.
    with pytest.raises(IntegrityError, match="request_return_has_reason"), transaction.atomic():
        SupportRequest.objects.filter(pk=req.pk).update(status="returned", return_reason="")


def test_the_district_may_withdraw_a_returned_request(district_user, officer, facility):
    req = sent(facility)
    services.request_transition(
        request_id=req.pk, name="return_for_additions", user=officer, reason="Bổ sung."
    )
    done = services.request_transition(request_id=req.pk, name="withdraw", user=district_user)
    assert done.status == "withdrawn"


# Caps on filing ----------------------------------------------------------------------------


def test_filing_above_a_cap_warns_with_the_rule_and_files_all_the_same(
    login, district_user, facility
):
    client = login(district_user)
    activity = f.ActivityTypeFactory()  # 03.3: ≤ 50 % and ≤ 200 tr per facility (national)
    response = client.post(
        reverse("beneficiaries:request_create"),
        {
            "facility": facility.pk,
            "year": NEXT,
            "activity_type": activity.pk,
            "content": "Dây chuyền sao chè",
            "total_cost": "800.000.000",
            "counterpart": "400.000.000",
            "support_requested": "400.000.000",
        },
        follow=True,
    )
    req = SupportRequest.objects.get()
    assert req.support_requested == 400 * TR  # a warning, not a refusal
    text = response.text
    assert "Vượt định mức hỗ trợ." in text  # on its page
    for part in (
        "vượt định mức “Ứng dụng máy móc thiết bị tiên tiến vào sản xuất”",
        "≤ 200.000.000 đ mỗi cơ sở",
        "Thông tư liên tịch 26/2014/TTLT-BTC-BCT",
        "mức hỗ trợ tối đa là 200.000.000 đ",
    ):
        assert text.count(part) >= 2, part  # the message when filed, and the page
    for kind in DocumentKind.objects.required_for(activity):
        f.DocumentFactory(facility=facility, request=req, kind=kind)
    response = client.post(
        reverse("beneficiaries:request_transition", args=[req.pk, "submit"]), follow=True
    )
    assert "Đăng ký đã chuyển sang “Đã gửi”" in response.text
    assert response.text.count("mức hỗ trợ tối đa là 200.000.000 đ") >= 2


def test_within_the_cap_no_warning(login, district_user, facility):
    req = f.SupportRequestFactory(facility=facility)  # 150 tr of a 300 tr cost: at the cap
    assert "Vượt định mức" not in login(district_user).get(detail(req)).text
