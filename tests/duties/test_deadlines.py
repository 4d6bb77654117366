"""The programme's calendar as dates: around month and year ends, and the stages."""

import datetime

import pytest

from duties import deadlines as d
from khuyencong.dates import last_ended_quarter


def day(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


@pytest.mark.parametrize(
    "today, stage",
    [
        ("11/01/2025", None),  # 11 days before
        ("14/01/2025", None),  # 8 days before
        ("15/01/2025", "soon"),  # 7 days before
        ("22/01/2025", "soon"),  # the day itself is still on time
        ("23/01/2025", "overdue"),
    ],
)
def test_stage_is_soon_for_seven_days_up_to_the_due_date_then_overdue(today, stage):
    assert d.stage(day("22/01/2025"), day(today)) == stage


def test_contracts_of_2024_are_closed_by_22_january_2025():
    assert d.contract_closing_due(2024) == day("22/01/2025")


@pytest.mark.parametrize(
    "last_due, year",
    [("21/01/2025", 2023), ("22/01/2025", 2024), ("31/12/2025", 2024), ("22/01/2026", 2025)],
)
def test_plan_years_whose_contracts_are_due_by_a_date(last_due, year):
    assert d.latest_plan_year_closing_by(day(last_due)) == year


def test_settlement_after_an_acceptance_on_20_december_is_due_in_january():
    assert d.settlement_due(day("20/12/2024")) == day("04/01/2025")
    assert d.accepted_by_for_settlement(day("04/01/2025")) == day("20/12/2024")


def test_settlement_crosses_a_month_end_and_a_leap_day():
    assert d.settlement_due(day("20/02/2024")) == day("06/03/2024")
    assert d.settlement_due(day("20/02/2025")) == day("07/03/2025")


def test_national_dossiers_reach_the_department_by_20_may_and_the_ministry_by_15_june():
    assert d.department_dossier_due(2026) == day("20/05/2025")
    assert d.ministry_dossier_due(2026) == day("15/06/2025")


@pytest.mark.parametrize(
    "today, due, stage",
    [
        ("17/02/2025", "25/02/2025", None),
        ("18/02/2025", "25/02/2025", "soon"),
        ("25/02/2025", "25/02/2025", "soon"),
        ("28/02/2025", "25/02/2025", "overdue"),
        ("01/03/2025", "25/03/2025", None),  # a new month starts afresh
        ("31/12/2024", "25/12/2024", "overdue"),
        ("01/01/2025", "25/01/2025", None),
    ],
)
def test_monthly_progress_is_due_on_the_25th_of_each_month(today, due, stage):
    assert d.progress_due(day(today)) == day(due)
    assert d.stage(day(due), day(today)) == stage


def test_month_key_names_the_month_of_the_report():
    assert d.month_key(day("31/12/2024")) == "2024-12"


@pytest.mark.parametrize(
    "today, year, quarter, due",
    [
        ("05/01/2025", 2024, 4, "10/01/2025"),
        ("31/03/2025", 2024, 4, "10/01/2025"),
        ("01/04/2025", 2025, 1, "10/04/2025"),
        ("15/10/2025", 2025, 3, "10/10/2025"),
    ],
)
def test_the_quarterly_report_is_due_ten_days_after_the_quarter(today, year, quarter, due):
    last = last_ended_quarter(day(today))
    assert (last.year, last.quarter) == (year, quarter)
    assert d.quarterly_report_due(last) == day(due)


def test_horizon_is_the_last_due_date_already_due_soon():
    today = day("28/12/2024")
    assert d.horizon(today) == day("04/01/2025")
    assert d.stage(d.horizon(today), today) == "soon"
    assert d.stage(d.horizon(today) + d.DAY, today) is None
