"""Every list page exports its filtered rows, all pages, in the user's scope, to .xlsx with a
totals row; the pages show the totals of all their filtered rows; the query counts hold."""

import datetime
import re
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries.services import request_transition
from duties.selectors import due_items
from khuyencong.spreadsheets import XLSX_CONTENT_TYPE
from schemes.models import SupportRule
from tests import factories as f

pytestmark = pytest.mark.django_db
TR = 1_000_000
TODAY = f"{timezone.localdate():%Y%m%d}"


def workbook_rows(response, name):
    """(header, data rows, totals row or None) of an export answered as `name-yyyymmdd.xlsx`."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="{name}-{TODAY}.xlsx"'
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    if body and str(body[-1][0]).startswith("Tổng cộng"):
        return header, body[:-1], body[-1]
    return header, body, None


def column(header, rows, title):
    index = header.index(title)
    return [row[index] for row in rows]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code in (200, 302)
    return len(captured)


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


# --- support requests ------------------------------------------------------------------------


def add_request(unit, *, name=None, year=2023, total=300 * TR, support=150 * TR, submit=None):
    facility = f.FacilityFactory(unit=unit, **({"name": name} if name else {}))
    req = f.SupportRequestFactory(
        facility=facility,
        year=year,
        total_cost=total,
        support_requested=support,
        counterpart=total - support,
        dossier=bool(submit),  # a dossier only where it is sent
    )
    if submit:
        request_transition(request_id=req.pk, name="submit", user=submit)
    return req


@pytest.fixture
def requests_world(province, district_user, other_district_user):
    return {
        "own": [
            add_request(province.commune, name="=1+2 HTX chè", total=400 * TR, support=200 * TR),
            add_request(province.commune, name="Hộ mây tre Tân Quang", support=100 * TR),
            add_request(province.commune, name="Cơ sở năm sau", year=2024),
        ],
        "other": [add_request(province.other_commune, name="HTX lanh Lũng Cú")],
    }


def test_the_request_export_has_the_pages_filtered_rows_in_scope_with_totals(
    login, requests_world, district_user
):
    client = login(district_user)
    page = client.get(reverse("beneficiaries:request_list"), {"year": "2023"})
    shown = [r.facility.name for r in page.context["page"]]
    response = client.get(reverse("beneficiaries:request_export"), {"year": "2023"})
    header, rows, totals = workbook_rows(response, "dang-ky-nhu-cau")
    names = column(header, rows, "Cơ sở")
    # The formula-like name comes out as text, escaped as every export escapes it.
    assert [n.removeprefix("'") for n in names] == shown
    assert "'=1+2 HTX chè" in names
    assert set(shown) == {"=1+2 HTX chè", "Hộ mây tre Tân Quang"}
    support = column(header, rows, "Đề nghị hỗ trợ (đồng)")
    assert support == [200 * TR, 100 * TR] or support == [100 * TR, 200 * TR]
    assert totals[0] == "Tổng cộng (2 dòng)"
    assert totals[header.index("Đề nghị hỗ trợ (đồng)")] == 300 * TR
    assert totals[header.index("Tổng kinh phí (đồng)")] == 700 * TR


@pytest.mark.parametrize(
    "role, expected",
    [
        ("district_user", {"=1+2 HTX chè", "Hộ mây tre Tân Quang", "Cơ sở năm sau"}),
        ("other_district_user", {"HTX lanh Lũng Cú"}),
        ("officer", {"=1+2 HTX chè", "Hộ mây tre Tân Quang", "Cơ sở năm sau", "HTX lanh Lũng Cú"}),
    ],
)
def test_each_role_exports_only_his_scopes_requests(login, requests_world, request, role, expected):
    client = login(request.getfixturevalue(role))
    response = client.get(reverse("beneficiaries:request_export"))
    header, rows, _ = workbook_rows(response, "dang-ky-nhu-cau")
    assert {n.removeprefix("'") for n in column(header, rows, "Cơ sở")} == expected


def test_the_request_list_totals_every_filtered_row_not_only_the_page(login, province, officer):
    for _ in range(52):
        add_request(province.commune, support=10 * TR)
    add_request(province.commune, year=2030, support=99 * TR)  # filtered out
    client = login(officer)
    page = client.get(reverse("beneficiaries:request_list"), {"year": "2023"})
    assert len(page.context["page"]) == 50
    text = page_text(page)
    assert "Tổng cộng (52 dòng)" in text
    assert "520.000.000 đ" in text
    response = client.get(reverse("beneficiaries:request_export"), {"year": "2023", "page": "2"})
    _header, rows, totals = workbook_rows(response, "dang-ky-nhu-cau")
    assert len(rows) == 52
    assert totals[0] == "Tổng cộng (52 dòng)"


def test_the_request_list_and_export_run_the_same_queries_whatever_the_rows(
    login, province, district_user
):
    client = login(district_user)
    add_request(province.commune)
    urls = [
        reverse("beneficiaries:request_list") + "?o=cost",
        reverse("beneficiaries:request_export") + "?o=cost",
    ]
    few = [count_queries(client, url) for url in urls]
    for _ in range(6):
        add_request(province.commune)
    assert [count_queries(client, url) for url in urls] == few


# --- the review queue ------------------------------------------------------------------------


def test_the_queue_export_has_the_queues_rows_for_the_year_with_totals(
    login, province, district_user, officer
):
    waiting = [
        add_request(province.commune, name="=SUM(A1)", support=120 * TR, submit=district_user),
        add_request(province.commune, name="HTX chờ", support=80 * TR, submit=district_user),
    ]
    add_request(province.commune, name="Nháp chưa gửi")  # a draft waits for nobody
    client = login(officer)
    url = reverse("beneficiaries:request_review_queue")
    page = client.get(url, {"year": "2023"})
    assert "Tổng cộng (2 dòng)" in page_text(page)
    shown = [r.facility.name for r in page.context["page"]]
    response = client.get(reverse("beneficiaries:request_queue_export"), {"year": "2023"})
    header, rows, totals = workbook_rows(response, "hang-cho-xet-duyet")
    assert [n.removeprefix("'") for n in column(header, rows, "Cơ sở")] == shown
    assert sorted(shown) == sorted(r.facility.name for r in waiting)
    assert "'=SUM(A1)" in column(header, rows, "Cơ sở")
    assert totals[header.index("Đề nghị hỗ trợ (đồng)")] == 200 * TR
    few = count_queries(client, reverse("beneficiaries:request_queue_export") + "?year=2023")
    for _ in range(4):
        add_request(province.commune, submit=district_user)
    assert count_queries(client, reverse("beneficiaries:request_queue_export") + "?year=2023") == (
        few
    )


def test_the_queue_export_is_for_the_province_only(login, district_user):
    response = login(district_user).get(reverse("beneficiaries:request_queue_export"))
    assert response.status_code == 403


# --- schemes ---------------------------------------------------------------------------------


@pytest.fixture
def schemes_world(province):
    plan = f.PlanFactory(unit=province.province)
    own = f.SchemeFactory(plan=plan, unit=province.district, title="=HYPERLINK(1)", budget=300 * TR)
    contract = f.ContractFactory(scheme=own, value=200 * TR)
    f.DisbursementFactory(contract=contract, amount=100 * TR)
    second = f.SchemeFactory(plan=plan, unit=province.district, budget=250 * TR)
    other = f.SchemeFactory(plan=plan, unit=province.other_district, budget=700 * TR)
    return {"own": [own, second], "other": other, "plan": plan}


def test_the_scheme_export_has_the_lists_rows_in_scope_with_totals(
    login, schemes_world, district_user
):
    client = login(district_user)
    page = client.get(reverse("schemes:scheme_list"))
    shown = [s.code for s in page.context["page"]]
    text = page_text(page)
    assert "Tổng cộng (2 dòng)" in text and "550.000.000 đ" in text and "100.000.000 đ" in text
    response = client.get(reverse("schemes:scheme_export"))
    header, rows, totals = workbook_rows(response, "de-an")
    assert column(header, rows, "Mã đề án") == shown
    assert sorted(shown) == sorted(s.code for s in schemes_world["own"])
    assert "'=HYPERLINK(1)" in column(header, rows, "Tên đề án, nhiệm vụ")
    assert totals[header.index("Kinh phí KC (đồng)")] == 550 * TR
    assert totals[header.index("Đã giải ngân (đồng)")] == 100 * TR
    assert totals[header.index("Đã ký hợp đồng (đồng)")] == 200 * TR
    starts = column(header, rows, "Bắt đầu")
    assert all(isinstance(day, datetime.datetime) for day in starts)


@pytest.mark.parametrize(
    "role, own, other", [("district_user", 2, 0), ("other_district_user", 0, 1), ("manager", 2, 1)]
)
def test_each_role_exports_only_his_scopes_schemes(login, schemes_world, request, role, own, other):
    client = login(request.getfixturevalue(role))
    header, rows, _ = workbook_rows(client.get(reverse("schemes:scheme_export")), "de-an")
    codes = set(column(header, rows, "Mã đề án"))
    assert len(codes & {s.code for s in schemes_world["own"]}) == own
    assert len(codes & {schemes_world["other"].code}) == other


def test_the_scheme_export_keeps_the_pages_filter(login, schemes_world, officer):
    client = login(officer)
    query = {"q": schemes_world["other"].code}
    shown = [s.code for s in client.get(reverse("schemes:scheme_list"), query).context["page"]]
    header, rows, totals = workbook_rows(
        client.get(reverse("schemes:scheme_export"), query), "de-an"
    )
    assert column(header, rows, "Mã đề án") == shown == [schemes_world["other"].code]
    assert totals[header.index("Kinh phí KC (đồng)")] == 700 * TR


def test_the_scheme_list_and_export_run_the_same_queries_whatever_the_rows(
    login, province, officer
):
    client = login(officer)
    plan = f.PlanFactory(unit=province.province)
    f.SchemeFactory(plan=plan, unit=province.district)
    urls = [
        reverse("schemes:scheme_list"),
        reverse("schemes:scheme_list") + "?risk=any",
        reverse("schemes:scheme_export"),
        reverse("schemes:scheme_export") + "?risk=any",
    ]
    few = [count_queries(client, url) for url in urls]
    for _ in range(5):
        scheme = f.SchemeFactory(plan=plan, unit=province.district)
        f.DisbursementFactory(contract=f.ContractFactory(scheme=scheme))
    assert [count_queries(client, url) for url in urls] == few


# --- plans -----------------------------------------------------------------------------------


def test_the_plan_export_has_the_lists_plans_with_totals(login, province, district_user):
    plans = [
        f.PlanFactory(unit=province.province, title="=Kế hoạch quốc gia", budget=1_200 * TR),
        f.PlanFactory(unit=province.province, year=2023, budget=800 * TR),
    ]
    f.SchemeFactory(plan=plans[0], unit=province.district, budget=300 * TR)
    client = login(district_user)
    page = client.get(reverse("plans:plan_list"))
    text = page_text(page)
    assert "Tổng cộng (2 dòng)" in text and "2.000.000.000 đ" in text
    header, rows, totals = workbook_rows(client.get(reverse("plans:plan_list_export")), "ke-hoach")
    assert [t.removeprefix("'") for t in column(header, rows, "Kế hoạch")] == [
        p.title for p in page.context["plans"]
    ]
    assert "'=Kế hoạch quốc gia" in column(header, rows, "Kế hoạch")
    assert totals[header.index("Được giao (đồng)")] == 2_000 * TR
    assert totals[header.index("Đã phân bổ (đồng)")] == 300 * TR
    few = count_queries(client, reverse("plans:plan_list_export"))
    for year in range(2010, 2014):
        f.PlanFactory(unit=province.province, year=year)
    assert count_queries(client, reverse("plans:plan_list_export")) == few


# --- rules and tasks -------------------------------------------------------------------------


def test_the_rule_export_lists_every_rule_with_its_state_on_the_day_asked(login, district_user):
    client = login(district_user)
    response = client.get(reverse("schemes:rule_export"), {"ngay": "01/01/2023"})
    header, rows, totals = workbook_rows(response, "dinh-muc-ho-tro")
    assert len(rows) == SupportRule.objects.count() > 0
    assert "Tình trạng ngày 01/01/2023" in header
    assert totals is None  # a sum of caps means nothing
    bad = client.get(reverse("schemes:rule_export"), {"ngay": "=1+1"})
    assert bad.status_code == 200  # a bad day: today's rules, never an error


def test_the_task_export_has_the_users_due_work(login, province, officer):
    plan = f.PlanFactory(unit=province.province, year=2022)
    f.SchemeFactory(
        plan=plan,
        unit=province.district,
        status="in_progress",
        approval_number="12/QĐ-SCT",
        approval_date=datetime.date(2022, 3, 1),
    )
    client = login(officer)
    header, rows, _ = workbook_rows(client.get(reverse("duties:task_export")), "viec-can-lam")
    items = due_items(officer, timezone.localdate())
    assert items  # the scheme's end is long past
    assert column(header, rows, "Việc cần làm") == [i.title for i in items]
    assert column(header, rows, "Hạn") == [
        datetime.datetime.combine(i.due_on, datetime.time()) for i in items
    ]


# --- a list too long for one file ------------------------------------------------------------


def test_a_list_longer_than_one_export_holds_is_refused_with_a_message(
    login, requests_world, district_user, monkeypatch
):
    monkeypatch.setattr("khuyencong.responses.LIST_EXPORT_MAX_ROWS", 1)
    client = login(district_user)
    response = client.get(reverse("beneficiaries:request_export"), {"year": "2023"})
    assert response.status_code == 302
    assert response["Location"] == reverse("beneficiaries:request_list") + "?year=2023"
    page = client.get(response["Location"])
    assert "hãy lọc bớt rồi xuất lại" in page_text(page)
