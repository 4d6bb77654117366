"""What is due for whom: the calendar applied to the records of each user's scope."""

import datetime

import pytest
from django.urls import reverse

from beneficiaries.models import SupportRequest
from duties.selectors import due_items
from khuyencong.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


def day(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def due(user, today):
    """{key: (stage, due date as dd/mm/yyyy)} of what is due for `user` on `today`."""
    return {i.key: (i.stage, f"{i.due_on:%d/%m/%Y}") for i in due_items(user, day(today))}


@pytest.fixture
def plan_2024(province):
    return f.PlanFactory(unit=province.province, year=2024, title="Kế hoạch KCĐP năm 2024")


@pytest.fixture
def make(plan_2024, province):
    """A scheme of the 2024 plan in Bắc Quang (or where told), in the given state."""

    def _make(status="in_progress", **fields):
        decided = {} if status == "proposed" else {"approval_number": "12/QĐ-SCT"}
        return f.SchemeFactory(
            plan=plan_2024,
            unit=fields.pop("unit", province.district),
            status=status,
            approval_date=day("01/03/2024") if decided else None,
            **decided,
            **{"start_date": day("01/04/2024"), "end_date": day("30/11/2024"), **fields},
        )

    return _make


def test_contracts_of_2024_not_closed_are_due_22_january_2025(officer, make):
    scheme = make(status="accepted")
    contract = f.ContractFactory(scheme=scheme, signed_on=day("02/05/2024"))
    f.ContractFactory(scheme=scheme, signed_on=day("02/05/2024"), closed_on=day("10/01/2025"))
    key = f"contract-closing:{contract.pk}"
    assert key not in due(officer, "14/01/2025")
    assert due(officer, "15/01/2025")[key] == ("soon", "22/01/2025")
    assert due(officer, "22/01/2025")[key] == ("soon", "22/01/2025")
    assert due(officer, "23/01/2025")[key] == ("overdue", "22/01/2025")
    closings = [k for k in due(officer, "23/01/2025") if k.startswith("contract-closing")]
    assert closings == [key]  # the closed one is done


def test_settlement_is_due_15_days_after_an_acceptance_on_20_december(officer, make):
    scheme = make(status="accepted")
    f.AcceptanceFactory(scheme=scheme, held_on=day("20/12/2024"), accepted_amount=500_000_000)
    key = f"settlement:{scheme.pk}"
    assert key not in due(officer, "27/12/2024")
    assert due(officer, "28/12/2024")[key] == ("soon", "04/01/2025")
    assert due(officer, "05/01/2025")[key] == ("overdue", "04/01/2025")
    scheme.status = "settled"
    scheme.settled_on = day("06/01/2025")
    scheme.save()
    assert key not in due(officer, "07/01/2025")


def test_scheme_end_dates_until_accepted_and_a_new_end_date_is_a_new_item(officer, make):
    scheme = make(end_date=day("31/12/2024"))
    key = f"scheme-end:{scheme.pk}:20241231"
    assert key not in due(officer, "23/12/2024")
    assert due(officer, "24/12/2024")[key] == ("soon", "31/12/2024")
    assert due(officer, "01/01/2025")[key] == ("overdue", "31/12/2024")
    scheme.end_date = day("31/03/2025")
    scheme.save()
    assert not [k for k in due(officer, "01/01/2025") if k.startswith("scheme-end")]
    scheme.status = "accepted"
    scheme.save()
    assert not [k for k in due(officer, "01/04/2025") if k.startswith("scheme-end")]


def test_each_item_names_its_record_its_place_and_links_to_it(officer, make, province):
    late = make(code="ĐP-2024-07", title="Máy sấy chè", end_date=day("31/12/2024"))
    accepted = make(status="accepted", code="ĐP-2024-08", title="Lò sấy quế")
    f.AcceptanceFactory(scheme=accepted, held_on=day("20/12/2024"), accepted_amount=1_000_000)
    contract = f.ContractFactory(
        scheme=accepted, number="05/2024/HĐ", party_name="HTX chè Tân Quang"
    )
    items = {i.key: i for i in due_items(officer, day("20/01/2025"))}
    page = reverse("schemes:scheme_detail", args=[late.pk])
    end = items[f"scheme-end:{late.pk}:20241231"]
    assert (end.title, end.detail, end.url, end.place) == (
        "Hoàn thành, nghiệm thu đề án ĐP-2024-07 – Máy sấy chè",
        "Đang triển khai",
        page,
        province.district.name,
    )
    settlement = items[f"settlement:{accepted.pk}"]
    assert settlement.detail == "nghiệm thu ngày 20/12/2024"
    assert settlement.url == reverse("schemes:scheme_detail", args=[accepted.pk]) + "#nghiem-thu"
    closing = items[f"contract-closing:{contract.pk}"]
    assert closing.title == "Thanh lý hợp đồng 05/2024/HĐ – HTX chè Tân Quang"
    assert closing.detail == "đề án ĐP-2024-08, kế hoạch năm 2024"
    assert closing.url == reverse("schemes:scheme_detail", args=[accepted.pk]) + "#hop-dong"
    assert closing.place == province.district.name


def test_managers_are_reminded_of_schemes_that_await_their_acceptance(manager, make):
    make(end_date=day("31/12/2024"))
    waiting = make(status="awaiting_acceptance", end_date=day("31/12/2024"))
    assert list(due(manager, "02/01/2025")) == [f"scheme-end:{waiting.pk}:20241231"]


def test_monthly_progress_is_due_before_the_25th_unless_recorded_this_month(officer, make):
    scheme = make(start_date=day("01/01/2025"), end_date=day("30/11/2025"))
    f.InspectionFactory(scheme=scheme, inspected_on=day("28/01/2025"))  # January's, not February's
    key = f"progress:{scheme.pk}:2025-02"
    assert f"progress:{scheme.pk}:2025-01" not in due(officer, "17/01/2025")
    assert key not in due(officer, "17/02/2025")
    assert due(officer, "18/02/2025")[key] == ("soon", "25/02/2025")
    assert due(officer, "26/02/2025")[key] == ("overdue", "25/02/2025")
    assert not [k for k in due(officer, "01/03/2025") if k.startswith("progress")]
    assert f"progress:{scheme.pk}:2025-03" in due(officer, "18/03/2025")
    f.InspectionFactory(scheme=scheme, inspected_on=day("03/03/2025"), progress_percent=60)
    assert not [k for k in due(officer, "26/03/2025") if k.startswith("progress")]


def test_only_schemes_in_progress_report_monthly(officer, make):
    make(status="contracted", start_date=day("01/01/2025"), end_date=day("30/11/2025"))
    make(status="accepted", start_date=day("01/01/2025"), end_date=day("30/11/2025"))
    assert not [k for k in due(officer, "20/02/2025") if k.startswith("progress")]


def draft_request(province, commune=None, year=2026, **fields):
    facility = f.FacilityFactory(unit=commune or province.commune)
    return f.SupportRequestFactory(facility=facility, year=year, **fields)


def test_district_dossiers_for_next_year_reach_the_department_by_20_may(
    province, district_user, other_district_user, officer
):
    draft = draft_request(province)
    sent = draft_request(province, status=SupportRequest.Status.SUBMITTED)
    draft_request(province, year=2025)  # this year's plan: no longer a dossier to send
    key = f"request-dossier:{draft.pk}"
    assert due(district_user, "12/05/2025") == {}
    assert due(district_user, "13/05/2025") == {key: ("soon", "20/05/2025")}
    assert due(district_user, "21/05/2025") == {key: ("overdue", "20/05/2025")}
    assert f"request-dossier:{sent.pk}" not in due(district_user, "21/05/2025")
    assert due(other_district_user, "21/05/2025") == {}  # not his facilities
    assert key not in due(officer, "21/05/2025")  # the district's work, not the officer's


def test_the_national_plan_dossier_reaches_the_ministry_by_15_june(province, officer):
    waiting = draft_request(province, status=SupportRequest.Status.SUBMITTED)
    draft_request(province)
    assert "ministry-dossier:2026" not in due(officer, "07/06/2025")
    items = {i.key: i for i in due_items(officer, day("08/06/2025"))}
    item = items["ministry-dossier:2026"]
    assert (item.stage, item.due_on) == ("soon", day("15/06/2025"))
    assert item.detail == (
        "1 đăng ký chờ xét duyệt; 1 hồ sơ còn nháp ở cấp huyện; "
        "chưa lập kế hoạch khuyến công quốc gia"
    )
    assert due(officer, "16/06/2025")["ministry-dossier:2026"][0] == "overdue"
    f.PlanFactory(unit=province.province, year=2026, status="draft", decision_number="")
    assert "ministry-dossier:2026" in due(officer, "16/06/2025")  # one still waits for review
    SupportRequest.objects.filter(pk=waiting.pk).update(status="included")
    assert "ministry-dossier:2026" not in due(officer, "16/06/2025")


def test_the_quarterly_report_is_due_until_one_is_made(province, manager, officer):
    key = f"quarterly-report:{province.province.pk}:2024-Q4"
    assert due(manager, "05/01/2025") == {key: ("soon", "10/01/2025")}
    assert due(manager, "11/01/2025") == {key: ("overdue", "10/01/2025")}
    assert key not in due(officer, "11/01/2025")
    f.QuarterlyReportFactory(unit=province.province, year=2024, quarter=4, status="failed")
    assert key in due(manager, "11/01/2025")
    f.QuarterlyReportFactory(
        unit=province.province, year=2024, quarter=4, version=2, status="done", pdf="r/q4.pdf"
    )
    assert due(manager, "11/01/2025") == {}


def test_each_user_sees_only_his_scope(
    province, make, officer, district_user, other_district_user, admin_user
):
    here = make(end_date=day("31/12/2024"))
    there = make(end_date=day("31/12/2024"), unit=province.other_district)
    draft = draft_request(province, year=2025)
    elsewhere = draft_request(province, commune=province.other_commune, year=2025)
    today = "02/01/2025"
    officer_keys = set(due(officer, today))
    assert {f"scheme-end:{here.pk}:20241231", f"scheme-end:{there.pk}:20241231"} <= officer_keys
    assert set(due(district_user, "21/05/2024")) == {f"request-dossier:{draft.pk}"}
    assert set(due(other_district_user, "21/05/2024")) == {f"request-dossier:{elsewhere.pk}"}
    admin_keys = set(due(admin_user, "21/05/2024"))
    assert {f"request-dossier:{draft.pk}", f"request-dossier:{elsewhere.pk}"} <= admin_keys


def test_inactive_and_anonymous_users_have_nothing_due(province, make, officer):
    from django.contrib.auth.models import AnonymousUser

    make(end_date=day("31/12/2024"))
    User.objects.filter(pk=officer.pk).update(is_active=False)
    officer.refresh_from_db()
    assert due_items(officer, day("02/01/2025")) == []
    assert due_items(AnonymousUser(), day("02/01/2025")) == []


def test_the_calendar_takes_the_same_queries_for_few_or_many_records(
    province, make, officer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def populate(n):
        """Each time: a scheme past its end, its progress and its contract; a settlement."""
        for _ in range(n):
            scheme = make(end_date=day("20/02/2025"), start_date=day("01/01/2025"))
            f.ContractFactory(scheme=scheme, signed_on=day("02/01/2025"))
            accepted = make(status="accepted")
            f.AcceptanceFactory(scheme=accepted, held_on=day("01/02/2025"))

    populate(2)
    officer = User.objects.get(pk=officer.pk)
    with CaptureQueriesContext(connection) as few:
        assert len(due_items(officer, day("24/02/2025"))) == 2 * 4
    populate(10)
    officer = User.objects.get(pk=officer.pk)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(due_items(officer, day("24/02/2025"))) == 12 * 4
