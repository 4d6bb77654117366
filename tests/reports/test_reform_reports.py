"""Reports across the reform of 1 July 2025, on the demo province: the Q3/2026 report of the
merged Tuyên Quang and its multi-year table equal the figures summed here straight from the
records, and the former Hà Giang's years add up into today's province."""

import datetime

import pytest
from django.db.models import Sum

from khuyencong.models import AdministrativeUnit
from reports.figures import UNIT_ROWS_FOLDED_OVER, history_figures
from reports.services import report_context
from schemes.models import Acceptance, Contract, Disbursement, Scheme

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 12, 3)
Q3_END = datetime.date(2026, 9, 30)


def total(queryset, field):
    return queryset.aggregate(s=Sum(field))["s"] or 0


def recomputed(year, until):
    """The province's money of the plans of `year` up to `until`, summed from the records."""
    live = Scheme.objects.filter(plan__year=year).exclude(status="cancelled")
    return {
        "allocated": total(live, "budget"),
        "contracted": total(
            Contract.objects.filter(scheme__in=live, signed_on__lte=until), "value"
        ),
        "disbursed": total(
            Disbursement.objects.filter(contract__scheme__plan__year=year, paid_on__lte=until),
            "amount",
        ),
        "accepted": total(
            Acceptance.objects.filter(scheme__in=live, result="passed", held_on__lte=until),
            "accepted_amount",
        ),
        "schemes": live.count(),
    }


def money(row):
    return {w: getattr(row, w) for w in ("allocated", "contracted", "disbursed", "accepted")}


@pytest.fixture
def province(demo_module):
    return AdministrativeUnit.objects.portal_province()


def test_the_q3_2026_report_equals_the_records(province):
    context = report_context(year=2026, quarter=3, unit=province, today=TODAY)
    figures = context["figures"]
    expected = recomputed(2026, Q3_END)
    assert expected["allocated"] > 0 and expected["disbursed"] > 0  # the demo is at work
    assert money(figures.total) == {k: v for k, v in expected.items() if k != "schemes"}
    assert figures.funded_count == expected["schemes"]
    # The rows by commune add up to the total, and only the communes at work are named.
    rows = figures.by_unit
    assert {w: sum(getattr(r, w) for r in rows) for w in money(figures.total)} == money(
        figures.total
    )
    communes = AdministrativeUnit.objects.filter(parent=province, valid_to__isnull=True)
    assert communes.count() > UNIT_ROWS_FOLDED_OVER
    named = [r for r in rows if r.schemes]
    placed = set(
        Scheme.objects.filter(plan__year=2026, unit__parent=province).values_list(
            "unit__name", flat=True
        )
    )
    assert placed <= {r.name for r in named}
    folded = [r for r in rows if "đơn vị khác" in r.name]
    assert len(folded) == 1 and not folded[0].allocated
    assert len(rows) < communes.count()
    # Issued by today's bodies.
    assert context["ministry_department"].startswith("Cục Đổi mới sáng tạo")
    assert context["former_units"] == ["Tỉnh Hà Giang"]


def test_the_multi_year_table_adds_the_former_province_into_todays(province):
    rows = history_figures(unit=province, today=TODAY)
    assert [row.name for row in rows] == [str(y) for y in range(2021, 2027)]
    for row in rows:
        expected = recomputed(row.key, TODAY)
        assert money(row) == {k: v for k, v in expected.items() if k != "schemes"}, row.key
    by_year = {row.key: row for row in rows}
    hagiang = AdministrativeUnit.objects.get(code="02", parent__isnull=True)
    # 2022 is the former Hà Giang's: the same as its own table says.
    assert money(by_year[2022]) == money(history_figures(unit=hagiang, today=TODAY)[1])
    assert by_year[2022].allocated > 0 and by_year[2026].allocated > 0


def test_the_2022_report_of_todays_province_is_grouped_by_the_districts_of_then(province):
    figures = report_context(year=2022, quarter=4, unit=province, today=TODAY)["figures"]
    names = [row.name for row in figures.by_unit]
    assert "Huyện Bắc Quang (đến 30/06/2025)" not in names  # ended after the period
    assert "Huyện Bắc Quang" in names
    assert not any(name.startswith("Xã ") or name.startswith("Phường ") for name in names)
    assert money(figures.total) == {
        k: v for k, v in recomputed(2022, datetime.date(2022, 12, 31)).items() if k != "schemes"
    }
