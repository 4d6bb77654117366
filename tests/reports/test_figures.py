"""Every figure of the quarterly report — in the figures, the PDF's text, the .xlsx and the
dashboard — against values worked out by hand from a small fixture.

The fixture, 2024, Hà Giang with Bắc Quang (A) and Đồng Văn (B):

  G  national group scheme at the province, budget 300.000.000, accepted on 20/06 for
     200.000.001: beneficiaries fA (Bắc Quang) 120.000.000 and fB (Đồng Văn) 100.000.000,
     the other 80.000.000 stays with the province. Contracts: fA 120.000.000 signed 15/02,
     fB 100.000.000 signed 10/04, a supplier 80.000.000 signed 05/07 (after Q2). Payments:
     fA 60.000.000 on 01/03 and 40.000.000 on 10/07, fB 50.000.000 on 20/05.
  L  local single scheme in a Bắc Quang commune, budget 50.000.000 for fA2, in progress, ended
     31/05 (late), contract 50.000.000 signed 01/03, paid 20.000.000 on 15/03, last inspected
     10/06 with a landslide.
  N  local scheme in Đồng Văn, ending 15/08 (due next quarter), budget 30.000.000, approved.
  X  local scheme in Đồng Văn, cancelled, budget 70.000.000: counted by status only.
  and a 2023 scheme in Đồng Văn that ended 30/11/2023 unfinished: not in 2024's money, but on
     its list of late schemes.

The accepted 200.000.001 of G is shared 120 : 100 : 80 by largest remainder:
80.000.000,4 → 80.000.000; 66.666.667 exactly; 53.333.333,6 → 53.333.334 (sum 200.000.001).
"""

import datetime

import openpyxl
import pytest
from django.urls import reverse

from khuyencong.models import AdministrativeUnit
from reports.figures import progress_figures, share
from reports.services import build_report
from schemes.models import Scheme
from tests import factories as f
from tests.conftest import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def year_2024(province):
    national = f.FundingSourceFactory()
    local = f.FundingSourceFactory(code="KCDP", short_name="KCĐP", name="Khuyến công địa phương")
    plan_n = f.PlanFactory(
        unit=province.province, year=2024, funding_source=national, budget=1_000_000_000
    )
    plan_l = f.PlanFactory(
        unit=province.province, year=2024, funding_source=local, budget=500_000_000
    )
    fa = f.FacilityFactory(unit=province.commune, workers=12)
    fa2 = f.FacilityFactory(unit=province.commune, workers=5)
    fb = f.FacilityFactory(unit=province.other_commune, workers=30)
    dates = {
        "start_date": D(2024, 1, 15),
        "approval_number": "1/QĐ",
        "approval_date": D(2024, 1, 10),
    }

    group = f.SchemeFactory(
        plan=plan_n,
        code="QG-2024-01",
        kind=Scheme.Kind.GROUP,
        budget=300_000_000,
        end_date=D(2024, 6, 30),
        status=Scheme.Status.ACCEPTED,
        **dates,
    )
    ben_a = f.SchemeBeneficiaryFactory(scheme=group, facility=fa, support_amount=120_000_000)
    ben_b = f.SchemeBeneficiaryFactory(scheme=group, facility=fb, support_amount=100_000_000)
    ca = f.ContractFactory(
        scheme=group, beneficiary=ben_a, value=120_000_000, signed_on=D(2024, 2, 15)
    )
    cb = f.ContractFactory(
        scheme=group, beneficiary=ben_b, value=100_000_000, signed_on=D(2024, 4, 10)
    )
    f.ContractFactory(
        scheme=group, party_name="Công ty Máy Việt", value=80_000_000, signed_on=D(2024, 7, 5)
    )
    f.DisbursementFactory(contract=ca, amount=60_000_000, paid_on=D(2024, 3, 1))
    f.DisbursementFactory(contract=ca, amount=40_000_000, paid_on=D(2024, 7, 10))
    f.DisbursementFactory(contract=cb, amount=50_000_000, paid_on=D(2024, 5, 20))
    f.AcceptanceFactory(scheme=group, held_on=D(2024, 6, 20), accepted_amount=200_000_001)

    late = f.SchemeFactory(
        plan=plan_l,
        code="ĐP-2024-01",
        title="Hỗ trợ máy sao chè tại Tân Quang",
        unit=province.commune,
        budget=50_000_000,
        end_date=D(2024, 5, 31),
        status=Scheme.Status.IN_PROGRESS,
        **dates,
    )
    ben_l = f.SchemeBeneficiaryFactory(scheme=late, facility=fa2, support_amount=50_000_000)
    cl = f.ContractFactory(
        scheme=late, beneficiary=ben_l, value=50_000_000, signed_on=D(2024, 3, 1)
    )
    f.DisbursementFactory(contract=cl, amount=20_000_000, paid_on=D(2024, 3, 15))
    f.InspectionFactory(
        scheme=late, inspected_on=D(2024, 6, 10), problems="Đường bị sạt lở, chưa chở máy vào được."
    )

    f.SchemeFactory(
        plan=plan_l,
        code="ĐP-2024-02",
        unit=province.other_district,
        budget=30_000_000,
        end_date=D(2024, 8, 15),
        status=Scheme.Status.APPROVED,
        **dates,
    )
    f.SchemeFactory(
        plan=plan_l,
        code="ĐP-2024-03",
        unit=province.other_district,
        budget=70_000_000,
        end_date=D(2024, 9, 30),
        status=Scheme.Status.CANCELLED,
        cancel_reason="Cơ sở rút đăng ký",
        **dates,
    )
    f.SchemeFactory(  # last year's, never finished: still on this year's list of late ones
        plan=f.PlanFactory(unit=province.province, year=2023, funding_source=local),
        code="ĐP-2023-09",
        unit=province.other_district,
        end_date=D(2023, 11, 30),
    )
    return province


def q2(unit, today=None):
    return progress_figures(
        unit=unit,
        year=2024,
        until=D(2024, 6, 30),
        period_start=D(2024, 4, 1),
        today=today or D(2024, 7, 20),
    )


def money(row):
    return (row.allocated, row.contracted, row.disbursed, row.accepted)


def test_share_adds_up_to_the_dong():
    assert share(200_000_001, [120, 100, 80]) == [80_000_000, 66_666_667, 53_333_334]
    assert share(10, [1, 1, 1]) == [4, 3, 3]
    assert share(5, [0, 0]) == [5, 0]


def test_the_provinces_quarter(year_2024):
    figures = q2(year_2024.province)
    national, local = figures.sources
    assert (national.plan_budget, *money(national)) == (
        1_000_000_000,
        300_000_000,
        220_000_000,  # the supplier's contract is signed after the quarter
        110_000_000,  # so is the second payment to fA
        200_000_001,
    )
    assert (local.plan_budget, *money(local)) == (
        500_000_000,
        80_000_000,  # the cancelled scheme counts for nothing
        50_000_000,
        20_000_000,
        0,
    )
    assert money(figures.total) == (380_000_000, 270_000_000, 130_000_000, 200_000_001)
    assert figures.total.plan_budget == 1_500_000_000

    units = {row.name: row for row in figures.by_unit}
    assert money(units["Huyện Bắc Quang"]) == (170_000_000, 170_000_000, 80_000_000, 80_000_000)
    assert money(units["Huyện Đồng Văn"]) == (130_000_000, 100_000_000, 50_000_000, 66_666_667)
    assert money(units["Chung cấp tỉnh"]) == (80_000_000, 0, 0, 53_333_334)
    assert [units["Huyện Bắc Quang"].schemes, units["Huyện Đồng Văn"].schemes] == [2, 2]

    statuses = {row.status: (row.count, row.budget) for row in figures.statuses}
    assert statuses == {
        "approved": (1, 30_000_000),
        "in_progress": (1, 50_000_000),
        "accepted": (1, 300_000_000),
        "cancelled": (1, 70_000_000),
    }
    assert figures.scheme_count == 4
    assert (figures.facilities_reached, figures.workers_reached) == (3, 47)
    assert [(s.code, s.amount) for s in figures.accepted_in_period] == [("QG-2024-01", 200_000_001)]
    late = {s.code: s for s in figures.at_risk}
    assert list(late) == ["ĐP-2023-09", "ĐP-2024-01"]
    assert "Quá hạn" in late["ĐP-2024-01"].risks and "Có vướng mắc" in late["ĐP-2024-01"].risks
    assert late["ĐP-2024-01"].last_problem.startswith("Đường bị sạt lở")
    assert [s.code for s in figures.due_next] == ["ĐP-2024-02"]
    assert (figures.next_start, figures.next_end) == (D(2024, 7, 1), D(2024, 9, 30))


def test_a_district_counts_its_share_and_agrees_with_the_provinces_row(year_2024):
    district = q2(year_2024.district)
    assert money(district.total) == (170_000_000, 170_000_000, 80_000_000, 80_000_000)
    assert district.total.plan_budget is None  # plans are the province's
    assert [(s.code, s.amount) for s in district.accepted_in_period] == [("QG-2024-01", 80_000_000)]
    statuses = {row.status: (row.count, row.budget) for row in district.statuses}
    assert statuses == {"in_progress": (1, 50_000_000), "accepted": (1, 120_000_000)}
    assert (district.facilities_reached, district.workers_reached) == (2, 17)
    province_row = next(r for r in q2(year_2024.province).by_unit if r.name == "Huyện Bắc Quang")
    assert money(province_row) == money(district.total)


def test_a_past_period_is_grouped_by_the_units_of_that_period(year_2024):
    # Bắc Quang ended with the 2025 reform; a unit created after it is not a row of 2024.
    AdministrativeUnit.objects.filter(pk=year_2024.district.pk).update(valid_to=D(2025, 6, 30))
    f.DistrictFactory(name="Xã Hùng An mới", parent=year_2024.province, valid_from=D(2025, 7, 1))
    names = [row.name for row in q2(year_2024.province).by_unit]
    assert "Huyện Bắc Quang" in names and "Xã Hùng An mới" not in names


def test_the_pdf_and_the_xlsx_carry_the_same_figures(year_2024, tmp_path):
    pdf, xlsx, figures = build_report(year=2024, quarter=2, unit=year_2024.province)
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = pdf_text(tmp_path / "r.pdf")
    for words in [
        "Tỉnh Hà Giang",
        "Huyện Bắc Quang",
        "đồng",
        "Trang 1/",
        "1.500.000.000",  # the plans
        "380.000.000",  # allocated
        "270.000.000",  # contracted
        "130.000.000",  # disbursed
        "200.000.001",  # accepted
        "80.000.000",
        "66.666.667",
        "53.333.334",
        "Chung cấp tỉnh",
        "ĐP-2024-01",
        "Đường bị sạt lở",
        "ĐP-2024-02",  # due next quarter
        "01/04/2024",
        "30/06/2024",
        "Kinh phí theo nguồn (đồng)",  # the chart's caption, and its SVG text:
        "Khuyến công địa phương",
        "300 tr",  # a bar's label, drawn only in the chart
    ]:
        assert words in text, words

    (tmp_path / "r.xlsx").write_bytes(xlsx)
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    sources = list(book["Theo nguồn"].iter_rows(min_row=2, values_only=True))
    assert sources[-1][1:] == (
        "Tổng cộng",
        None,
        1_500_000_000,
        380_000_000,
        270_000_000,
        130_000_000,
        200_000_001,
    )
    units = {row[1]: row[2:] for row in book["Theo địa bàn"].iter_rows(min_row=2, values_only=True)}
    assert units["Huyện Bắc Quang"] == (2, 170_000_000, 170_000_000, 80_000_000, 80_000_000)
    assert units["Chung cấp tỉnh"] == (1, 80_000_000, 0, 0, 53_333_334)
    accepted = list(book["Nghiệm thu trong kỳ"].iter_rows(min_row=2, values_only=True))
    assert accepted[0][1] == "QG-2024-01" and accepted[0][-1] == 200_000_001
    assert accepted[0][4].date() == D(2024, 6, 20)
    summary = dict(book["Tổng hợp"].iter_rows(min_row=2, values_only=True))
    assert "Mã băm số liệu (SHA-256)" not in summary  # not among the figures
    assert book.sheetnames[-1] == "Thông tin"
    about = dict(book["Thông tin"].iter_rows(min_row=2, values_only=True))
    assert about["Mã băm số liệu (SHA-256)"] == figures.digest()


def test_the_dashboard_shows_the_same_figures(year_2024, client, manager):
    """The dashboard of 2024 reads the same module up to the year's end: both payments of fA
    and the supplier's contract now count."""
    client.force_login(manager)
    page = client.get(reverse("dashboard"), {"year": 2024})
    figures = progress_figures(unit=year_2024.province, year=2024)
    assert figures.until == D(2024, 12, 31)
    assert money(figures.total) == (380_000_000, 350_000_000, 170_000_000, 200_000_001)
    for amount in [
        "1.500.000.000 đ",
        "380.000.000 đ",
        "170.000.000 đ",
        "200.000.001 đ",
        "350.000.000 đ",
    ]:
        assert amount in page.text, amount
    assert "ĐP-2024-01" in page.text and "Đường bị sạt lở" in page.text
    assert "<svg" in page.text and "Khuyến công địa phương" in page.text


def test_figures_take_the_same_queries_for_3_or_30_schemes(province, django_assert_num_queries):
    plan = f.PlanFactory(unit=province.province)

    def add(n):
        for scheme in f.SchemeFactory.create_batch(n, plan=plan, unit=province.district):
            ben = f.SchemeBeneficiaryFactory(scheme=scheme, support_amount=100)
            contract = f.ContractFactory(scheme=scheme, beneficiary=ben, value=100)
            f.DisbursementFactory(contract=contract, amount=50)
            f.InspectionFactory(scheme=scheme, problems="Sạt lở")

    add(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        progress_figures(unit=province.province, year=2022)
    add(27)
    with django_assert_num_queries(len(few)):
        figures = progress_figures(unit=province.province, year=2022)
    assert figures.scheme_count == 30
