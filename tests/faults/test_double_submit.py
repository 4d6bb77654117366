"""A form or a step sent twice at the same instant — a double click, a page sent again while
the first answer is on its way: one record, one step in the history, and the second sending
told so in Vietnamese. (One after the other: the tests of each page.)

Each pair of requests is released together by a barrier, in threads with database connections
of their own, and is held at its first write by a lock this test takes: both get past every
check before either writes, as two requests arriving within the same millisecond do."""

import datetime

import pytest
from django.urls import reverse

from beneficiaries.models import Facility, SupportRequest
from schemes.models import Disbursement, Inspection, Scheme
from tests import factories as f
from tests.faults.browser import form_values, posted_at_once, row_held, table_held

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SENT_BEFORE = "Biểu mẫu này đã được gửi"


def sent_twice_at_once(client, url, data, *, hold):
    return posted_at_once([(client, url, data)] * 2, hold=hold)


def _one_saved_one_told(answers, saved):
    texts = sorted((a.text for a in answers), key=lambda text: SENT_BEFORE in text)
    assert [a.status_code for a in answers] == [200, 200]
    assert saved in texts[0] and SENT_BEFORE not in texts[0], texts[0]
    assert SENT_BEFORE in texts[1] and saved not in texts[1], texts[1]
    assert answers[0].redirect_chain[-1] == answers[1].redirect_chain[-1]  # the same record


def test_a_new_facility_sent_twice_at_once_is_saved_once(district_user, province, client):
    client.force_login(district_user)
    url = reverse("beneficiaries:facility_create")
    data = {
        **form_values(client.get(url).text),
        "name": "Hợp tác xã chè Shan tuyết Tân Quang",
        "kind": "cooperative",
        "sector": f.SectorFactory().pk,
        "unit": province.commune.pk,
        "address": "Thôn Tân Thành",
        "owner_name": "Hoàng Thị Mai",
        "tax_code": "5100123456",
        "workers": "12",
    }
    answers = sent_twice_at_once(client, url, data, hold=table_held(Facility))
    assert Facility.objects.count() == 1
    assert Facility.history.count() == 1
    _one_saved_one_told(answers, "Đã lưu cơ sở")


def test_a_form_sent_again_after_its_answer_shows_what_it_saved(district_user, province, client):
    client.force_login(district_user)
    url = reverse("beneficiaries:facility_create")
    data = {
        **form_values(client.get(url).text),
        "name": "Cơ sở mây tre đan Việt Vinh",
        "kind": "household",
        "sector": f.SectorFactory().pk,
        "unit": province.commune.pk,
        "owner_name": "Lý Văn Sìn",
        "workers": "3",
    }
    first = client.post(url, data, follow=True)
    assert "Đã lưu cơ sở" in first.text, first.text
    again = client.post(url, data, follow=True)  # "Gửi lại biểu mẫu?" — yes
    assert Facility.objects.count() == 1
    assert again.redirect_chain == first.redirect_chain
    assert SENT_BEFORE in again.text and "Đây là cơ sở CNNT đã lưu." in again.text


def test_a_new_request_sent_twice_at_once_is_saved_once(district_user, province, client, activity):
    facility = f.FacilityFactory(unit=province.commune)
    client.force_login(district_user)
    url = reverse("beneficiaries:request_create")
    data = {
        **form_values(client.get(f"{url}?facility={facility.pk}").text),
        "facility": facility.pk,
        "year": 2024,
        "activity_type": activity.pk,
        "content": "Máy vò chè",
        "total_cost": "350.000.000",
        "counterpart": "175.000.000",
        "support_requested": "175.000.000",
    }
    answers = sent_twice_at_once(client, url, data, hold=table_held(SupportRequest))
    assert SupportRequest.objects.count() == 1
    assert SupportRequest.history.count() == 1
    _one_saved_one_told(answers, "Đã lưu đăng ký")


def _submit(province, district_user, manager):
    request = f.SupportRequestFactory(facility=f.FacilityFactory(unit=province.commune))
    url = reverse("beneficiaries:request_transition", args=[request.pk, "submit"])
    return request, district_user, url, {}, "Gửi lên tỉnh"


def _approve(province, district_user, manager):
    scheme = f.submitted(
        f.SchemeFactory(plan=f.PlanFactory(unit=province.province), unit=province.district)
    )
    url = reverse("schemes:scheme_transition", args=[scheme.pk, "approve"])
    decision = {"decision_number": "101/QĐ-SCT", "decision_date": "10/03/2022"}
    return scheme, manager, url, decision, "Phê duyệt"


def test_a_new_scheme_sent_twice_at_once_is_saved_once_and_the_second_told_why(
    officer, province, client, activity
):
    plan = f.PlanFactory(unit=province.province, year=2025)
    client.force_login(officer)
    url = reverse("schemes:scheme_create")
    data = {
        **form_values(client.get(url).text),
        "plan": plan.pk,
        "code": "ĐP-2025-01",
        "title": "Hỗ trợ máy sấy chè Shan tuyết",
        "kind": "single",
        "selection": "review",
        "activity_type": activity.pk,
        "unit": province.district.pk,
        "implementing_body": "Trung tâm Khuyến công",
        "start_date": "01/03/2025",
        "end_date": "30/11/2025",
        "budget": "100.000.000",
        "counterpart_budget": "0",
    }
    answers = sent_twice_at_once(client, url, data, hold=table_held(Scheme))
    assert Scheme.objects.count() == 1
    texts = sorted(a.text for a in answers)
    assert [a.status_code for a in answers] == [200, 200]
    assert any("Đã lưu đề án ĐP-2025-01" in text for text in texts)
    told = [text for text in texts if "Kế hoạch này đã có đề án mang mã này." in text]
    assert len(told) == 1 and 'value="Hỗ trợ máy sấy chè Shan tuyết"' in told[0]  # kept


@pytest.mark.parametrize("step", [_submit, _approve], ids=["request-submit", "scheme-approve"])
def test_a_step_clicked_twice_at_once_is_taken_once(step, province, district_user, manager, client):
    record, user, url, data, label = step(province, district_user, manager)
    client.force_login(user)
    answers = sent_twice_at_once(client, url, data, hold=row_held(record))
    assert record.history.filter(history_change_reason=label).count() == 1
    texts = sorted((a.text for a in answers), key=lambda text: "Không thể" in text)
    assert [a.status_code for a in answers] == [200, 200]
    assert "đã chuyển sang" in texts[0] and "Không thể" not in texts[0]
    assert f"Không thể “{label}” khi đang ở trạng thái" in texts[1]


def _scheme_in_progress(province):
    return f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.district,
        status="in_progress",
        approval_number="12/QĐ-SCT",
        approval_date=datetime.date(2022, 3, 1),
        budget=300_000_000,
    )


def _entry_sent_three_times(client, scheme, name, data, model):
    """The scheme page's entry `name` sent twice at the same instant, then once more later."""
    url = reverse(f"schemes:{name}_add", args=[scheme.pk])
    page = client.get(reverse("schemes:scheme_detail", args=[scheme.pk])).text
    data = {**form_values(page, action=url), **data}
    at_once = sent_twice_at_once(client, url, data, hold=table_held(model))
    later = client.post(url, data, follow=True)  # "Gửi lại biểu mẫu?" — yes
    return at_once, later


def _payment(scheme):
    contract = f.ContractFactory(scheme=scheme, number="01/HĐ", value=200_000_000)
    data = {
        "contract": contract.pk,
        "kind": "advance",
        "paid_on": "15/06/2022",
        "amount": "40.000.000",
        "document_number": "UNC-15",
    }
    return "disbursement", data, Disbursement, "Đã ghi khoản chi"


def _inspection(scheme):
    data = {
        "inspected_on": "14/09/2022",
        "inspectors": "Trung tâm Khuyến công",
        "progress_percent": "45",
        "problems": "Đường vào xã bị sạt lở.",
    }
    return "inspection", data, Inspection, "Đã ghi kết quả kiểm tra"


@pytest.mark.parametrize("entry", [_payment, _inspection], ids=["payment", "inspection"])
def test_an_entry_sent_twice_at_once_and_again_later_is_recorded_once(
    entry, officer, province, client
):
    scheme = _scheme_in_progress(province)
    kind, data, model, saved_message = entry(scheme)
    client.force_login(officer)
    at_once, later = _entry_sent_three_times(client, scheme, kind, data, model)
    assert model.objects.count() == 1
    assert model.history.count() == 1
    _one_saved_one_told(at_once, saved_message)
    assert later.redirect_chain == at_once[0].redirect_chain
    assert SENT_BEFORE in later.text and saved_message not in later.text


def test_a_report_asked_for_twice_at_once_is_made_once_and_both_are_told(
    manager, officer, province, client, monkeypatch
):
    """A manager and a colleague ask for the same quarter within the same millisecond."""
    from django.test import Client

    from reports import services
    from reports.models import QuarterlyReport

    sent = []
    monkeypatch.setattr(services, "report_dispatch", lambda *, report_id: sent.append(report_id))
    client.force_login(manager)
    colleague = Client()
    colleague.force_login(officer)
    url = reverse("reports:report_request")
    data = {"year": 2022, "quarter": 4, "unit": ""}
    answers = posted_at_once(
        [(client, url, data), (colleague, url, data)], hold=table_held(QuarterlyReport)
    )
    report = QuarterlyReport.objects.get()
    assert sent == [report.pk]
    texts = sorted((a.text for a in answers), key=lambda text: "đang được tạo" in text)
    assert [a.status_code for a in answers] == [200, 200]
    assert "Đã nhận yêu cầu báo cáo quý 4/2022" in texts[0] and "đang được tạo" not in texts[0]
    assert "Báo cáo quý 4/2022 của Tỉnh Hà Giang đang được tạo (lần 1" in texts[1]
    assert "Đã nhận yêu cầu" not in texts[1]
    assert answers[0].redirect_chain[-1] == answers[1].redirect_chain[-1]  # the same report
