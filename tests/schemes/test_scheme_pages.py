"""The scheme and plan pages: entries refused with a message and nothing lost, the concurrent
edit refusal, read-only districts, risk flags computed and filtered, the timeline, exports."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries.models import DocumentKind
from sampledata.demo import DEMO_PDF
from schemes.models import Disbursement, Plan, Scheme, SchemeDocument
from tests import factories as f
from tests.conftest import pdf_text

pytestmark = pytest.mark.django_db
TR = 1_000_000
# The smallest valid PNG: a 1×1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def scheme(province):
    return f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.district,
        status="in_progress",
        approval_number="12/QĐ-SCT",
        approval_date=datetime.date(2022, 3, 1),
        budget=300 * TR,
    )


@pytest.fixture
def contract(scheme):
    return f.ContractFactory(scheme=scheme, number="01/HĐ", value=200 * TR)


def _url(name, obj):
    return reverse(f"schemes:{name}", args=[obj.pk])


def test_a_payment_beyond_the_advance_cap_is_refused_and_the_form_kept(
    login, officer, scheme, contract
):
    f.DisbursementFactory(contract=contract, amount=150 * TR)
    data = {
        "contract": contract.pk,
        "kind": "payment",
        "paid_on": "15/06/2022",
        "amount": "60.000.000",
        "document_number": "UNC-77",
    }
    response = login(officer).post(_url("disbursement_add", scheme), data, follow=True)
    assert "tối đa 70 % giá trị hợp đồng 01/HĐ" in response.text  # before acceptance
    assert 'value="UNC-77"' in response.text and 'value="60.000.000"' in response.text
    assert Disbursement.objects.count() == 1


def test_malformed_entries_get_vietnamese_messages(login, officer, scheme, contract):
    data = {"contract": contract.pk, "kind": "advance", "paid_on": "31/02/2022", "amount": "abc"}
    response = login(officer).post(_url("disbursement_add", scheme), data)
    assert response.status_code == 422
    assert "Nhập một ngày hợp lệ" in response.text or "ngày hợp lệ" in response.text
    assert "Số tiền" in response.text
    assert Disbursement.objects.count() == 0


def test_an_inspection_records_a_landslide_and_its_photo(login, officer, scheme):
    data = {
        "inspected_on": "14/09/2022",
        "inspectors": "Trung tâm Khuyến công",
        "progress_percent": "45",
        "problems": "Đường vào xã bị sạt lở, chưa vận chuyển được máy.",
        "photos": [SimpleUploadedFile("hien-truong.png", PNG)],
    }
    client = login(officer)
    client.post(_url("inspection_add", scheme), data)
    inspection = scheme.inspections.get()
    assert inspection.photos.get().content_type == "image/png"
    page = client.get(_url("scheme_detail", scheme)).text
    assert "Có vướng mắc" in page and "sạt lở" in page


def test_an_english_browser_gets_vietnamese_and_dates_read_day_first(login, officer, scheme):
    client = login(officer)
    english = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    data = {"inspected_on": "05/11/2022", "inspectors": "Đoàn", "progress_percent": "45"}
    client.post(_url("inspection_add", scheme), data, **english)
    assert scheme.inspections.get().inspected_on == datetime.date(2022, 11, 5)  # not 11 May
    data["inspected_on"] = "25/11/2022"  # a day no English format reads
    response = client.post(_url("inspection_add", scheme), data, **english)
    assert response.status_code == 302 and scheme.inspections.count() == 2
    refused = client.post(_url("inspection_add", scheme), {**data, "inspected_on": "x"}, **english)
    assert "Nhập một ngày hợp lệ" in refused.text and "Enter a valid date" not in refused.text


def test_a_second_plan_of_the_same_year_and_source_is_refused_with_the_form_kept(
    login, officer, province
):
    first = f.PlanFactory(unit=province.province, year=2025)
    data = {
        "year": "2025",
        "funding_source": first.funding_source_id,
        "title": "Kế hoạch khuyến công năm 2025 (bản thứ hai)",
        "approving_body": "UBND tỉnh",
        "budget": "1.000.000.000",
    }
    response = login(officer).post(reverse("plans:plan_create"), data)
    assert response.status_code == 200
    assert "Đã có kế hoạch của nguồn kinh phí này cho năm này." in response.text
    assert 'value="Kế hoạch khuyến công năm 2025 (bản thứ hai)"' in response.text
    assert Plan.objects.count() == 1


def test_a_cancel_reason_too_long_to_read_is_refused_and_the_scheme_kept(login, manager, scheme):
    url = reverse("schemes:scheme_transition", args=[scheme.pk, "cancel"])
    page = login(manager).post(url, {"reason": "Cơ sở xin rút." * 300}, follow=True)
    assert "Lý do hủy dài 4.200 ký tự; hãy ghi gọn trong 2.000 ký tự." in page.text
    scheme.refresh_from_db()
    assert (scheme.status, scheme.cancel_reason) == ("in_progress", "")


def test_a_photo_that_is_not_an_image_is_refused(login, officer, scheme):
    data = {
        "inspected_on": "14/09/2022",
        "inspectors": "Đoàn",
        "progress_percent": "45",
        "photos": [SimpleUploadedFile("anh.png", DEMO_PDF)],
    }
    response = login(officer).post(_url("inspection_add", scheme), data)
    assert response.status_code == 422
    assert "ảnh JPEG" in response.text or "ảnh PNG" in response.text
    assert not scheme.inspections.exists()


def test_acceptance_keeps_its_signed_minutes_for_those_in_scope(
    login, officer, other_district_user, scheme
):
    Scheme.objects.filter(pk=scheme.pk).update(status="awaiting_acceptance")
    data = {
        "held_on": "20/11/2022",
        "committee": "Sở Công Thương; Trung tâm Khuyến công",
        "result": "passed",
        "accepted_amount": "280.000.000",
        "minutes": SimpleUploadedFile("bien-ban.pdf", DEMO_PDF),
    }
    client = login(officer)
    client.post(_url("acceptance_add", scheme), data)
    acceptance = scheme.acceptances.get()
    assert acceptance.accepted_amount == 280 * TR and acceptance.recorded_by == officer
    download = client.get(_url("minutes_download", acceptance))
    assert b"".join(download.streaming_content) == DEMO_PDF
    client.force_login(other_district_user)
    assert client.get(_url("minutes_download", acceptance)).status_code == 404


def test_the_dossier_checklist_ticks_what_is_uploaded(login, officer, scheme):
    kind = DocumentKind.objects.get(code="DA-QD")
    client = login(officer)
    page = client.get(_url("scheme_detail", scheme)).text
    assert "Quyết định phê duyệt đề án" in page and "Còn thiếu" in page
    client.post(
        _url("document_add", scheme),
        {"kind": kind.pk, "file": SimpleUploadedFile("qd.pdf", DEMO_PDF)},
    )
    document = SchemeDocument.objects.get()
    assert document.kind == kind and document.title == kind.name
    assert document.file.name.startswith("schemes/") and "qd" not in document.file.name
    checklist = scheme.dossier_checklist()
    assert [docs for k, docs in checklist if k == kind] == [[document]]


SENT_BEFORE = "Biểu mẫu này đã được gửi rồi"


def test_a_checklist_upload_sent_again_keeps_one_file(login, officer, scheme):
    kind = DocumentKind.objects.get(code="DA-QD")
    client = login(officer)
    page = client.get(_url("scheme_detail", scheme)).text
    token = re.search(
        r'name="form_token" value="([0-9a-f-]{36})"><input type="hidden" '
        rf'name="kind" value="{kind.pk}"',
        page,
    )
    assert token, "the checklist's upload form carries its token"
    data = {"kind": kind.pk, "form_token": token[1]}
    for _ in range(2):
        response = client.post(
            _url("document_add", scheme),
            {**data, "file": SimpleUploadedFile("qd.pdf", DEMO_PDF)},
            follow=True,
        )
    assert SchemeDocument.objects.count() == 1
    assert SENT_BEFORE in response.text and "Đây là tài liệu đề án đã lưu." in response.text


def test_a_contract_sent_again_is_told_not_refused(login, officer, scheme):
    client = login(officer)
    url = _url("contract_add", scheme)
    token = re.search(r'name="form_token" value="([0-9a-f-]{36})"', _entry_form(client, scheme))
    data = {
        "party_name": "Công ty TNHH Cơ khí Tuyên Quang",
        "number": "05/HĐ",
        "signed_on": "01/04/2022",
        "value": "90.000.000",
        "form_token": token[1],
    }
    first = client.post(url, data, follow=True)
    again = client.post(url, data, follow=True)
    assert "Đã ghi hợp đồng." in first.text
    assert scheme.contracts.count() == 1
    assert SENT_BEFORE in again.text and "Đề án đã có hợp đồng" not in again.text


def _entry_form(client, scheme, name="contract"):
    page = client.get(_url("scheme_detail", scheme)).text
    action = f'action="{_url(f"{name}_add", scheme)}"'
    return page[page.index(action) : page.index("</form>", page.index(action))]


def test_a_disguised_file_is_refused(login, officer, scheme):
    response = login(officer).post(
        _url("document_add", scheme),
        {"file": SimpleUploadedFile("qd.pdf", b"MZ\x90\x00 not a pdf")},
        follow=True,
    )
    assert "không phải là loại được nhận" in response.text
    assert not SchemeDocument.objects.exists()


def test_a_district_sees_its_scheme_read_only(login, district_user, scheme, contract):
    client = login(district_user)
    page = client.get(_url("scheme_detail", scheme)).text
    assert scheme.title in page
    assert "+ Ghi" not in page and "Sửa đề án" not in page
    data = {"contract": contract.pk, "kind": "advance", "paid_on": "01/06/2022", "amount": "1"}
    assert client.post(_url("disbursement_add", scheme), data).status_code == 403
    assert client.get(_url("scheme_edit", scheme)).status_code == 403
    assert not Disbursement.objects.exists()


def _edit_data(scheme, **changes):
    form = {
        "plan": scheme.plan_id,
        "code": scheme.code,
        "title": scheme.title,
        "kind": scheme.kind,
        "selection": scheme.selection,
        "activity_type": scheme.activity_type_id,
        "unit": scheme.unit_id,
        "implementing_body": scheme.implementing_body,
        "start_date": scheme.start_date.strftime("%d/%m/%Y"),
        "end_date": scheme.end_date.strftime("%d/%m/%Y"),
        "budget": str(scheme.budget),
        "counterpart_budget": str(scheme.counterpart_budget),
        "description": scheme.description,
    }
    return form | changes


def test_two_officers_editing_at_once_the_second_is_told(login, officer, province):
    scheme = f.SchemeFactory(plan=f.PlanFactory(unit=province.province), unit=province.district)
    colleague = f.UserFactory(username="officer2", role="officer", unit=province.province)
    client = login(officer)
    form = client.get(_url("scheme_edit", scheme))
    version = form.context["form"]["version"].value()

    client.force_login(colleague)
    first = client.post(
        _url("scheme_edit", scheme),
        _edit_data(scheme, title="Tên do đồng nghiệp sửa", version=version),
    )
    assert first.status_code == 302

    client.force_login(officer)
    second = client.post(
        _url("scheme_edit", scheme), _edit_data(scheme, title="Tên của tôi", version=version)
    )
    assert second.status_code == 200
    assert "vừa được sửa bởi" in second.text and "Mở lại bản mới nhất" in second.text
    assert 'value="Tên của tôi"' in second.text  # what he typed is still there
    scheme.refresh_from_db()
    assert scheme.title == "Tên do đồng nghiệp sửa"


def test_an_approved_schemes_money_is_fixed(login, officer, scheme):
    data = _edit_data(scheme, budget="999.000.000", title="Tên mới")
    data["version"] = scheme.updated_at.isoformat()
    login(officer).post(_url("scheme_edit", scheme), data)
    scheme.refresh_from_db()
    assert scheme.title == "Tên mới" and scheme.budget == 300 * TR


def test_a_new_scheme_over_the_plan_is_saved_with_a_warning(login, officer, province):
    plan = f.PlanFactory(unit=province.province, budget=500 * TR)
    f.SchemeFactory(plan=plan, unit=province.district, budget=400 * TR)
    template = f.SchemeFactory.build(plan=plan, unit=province.district, code="ĐP-2022-99")
    template.activity_type = f.ActivityTypeFactory()
    response = login(officer).post(
        reverse("schemes:scheme_create"),
        _edit_data(template, budget="150.000.000", counterpart_budget="0"),
        follow=True,
    )
    assert "vượt kinh phí được giao" in response.text
    assert Scheme.objects.filter(code="ĐP-2022-99", budget=150 * TR).exists()


def test_the_timeline_tells_who_did_what(login, officer, manager, province):
    from schemes import services

    scheme = f.SchemeFactory(plan=f.PlanFactory(unit=province.province), unit=province.district)
    f.submitted(scheme, officer)
    services.scheme_transition(
        scheme_id=scheme.pk,
        name="approve",
        user=manager,
        decision_number="7/QĐ",
        decision_date=datetime.date(2022, 3, 1),
    )
    services.contract_sign(
        scheme=scheme,
        user=officer,
        number="09/HĐ",
        signed_on=datetime.date(2022, 4, 1),
        value=100 * TR,
        party_name="HTX chè",
    )
    page = login(officer).get(_url("scheme_detail", scheme)).text
    timeline = page[page.index("Diễn biến đề án") :]
    assert "Ký hợp đồng" in timeline and "Hợp đồng 09/HĐ với HTX chè: 100.000.000 đ" in timeline
    assert "Phê duyệt" in timeline and str(manager) in timeline and str(officer) in timeline
    assert timeline.index("Ký hợp đồng") < timeline.index("Phê duyệt")  # newest first
    assert timeline.index("Phê duyệt") < timeline.index("Trình phê duyệt")


def test_plan_exports_for_approval(login, manager, province):
    plan = f.PlanFactory(
        unit=province.province, status="draft", decision_number="", decision_date=None
    )
    scheme = f.SchemeFactory(plan=plan, unit=province.district, title="Máy sao chè Tân Quang")
    f.SchemeBeneficiaryFactory(scheme=scheme, facility=f.FacilityFactory(name="HTX chè Tân Quang"))
    client = login(manager)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("plans:plan_export_xlsx", args=[plan.pk])).content)
    )
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert scheme.code in cells and scheme.budget in cells
    assert any(isinstance(c, str) and "HTX chè Tân Quang" in c for c in cells)
    pdf = client.get(reverse("plans:plan_export_pdf", args=[plan.pk])).content
    assert pdf.startswith(b"%PDF")
    text = pdf_text(io.BytesIO(pdf))
    assert "DỰ THẢO" in text and "Máy sao chè Tân Quang" in text and "600.000.000" in text


def test_a_step_held_back_by_a_rule_is_shown_disabled_with_its_reason(login, manager, scheme):
    Scheme.objects.filter(pk=scheme.pk).update(status="awaiting_acceptance")
    f.AcceptanceFactory(scheme=scheme, accepted_amount=300 * TR)
    page = login(manager).get(_url("scheme_detail", scheme)).text
    assert "Phê duyệt nghiệm thu</button>" in page and "disabled" in page
    assert "còn thiếu tài liệu bắt buộc" in page
    assert f"/schemes/{scheme.pk}/transition/accept/" not in page  # no form to send it
