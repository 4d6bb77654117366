"""The programme's calendar as pure functions of dates: when each kind of work is due, and
whether a due date is near ("sắp đến hạn") or past ("quá hạn") on a given day. No queries here.

The dates come from the national programme's rules (Thông tư 36/2013/TT-BCT and the finance
circulars, see shared/DESIGN.md): dossiers for next year's national plan reach the Department by
20 May and the Ministry by 15 June; implementing units report progress monthly before the 25th;
the settlement dossier is due 15 days after acceptance; contracts are closed by 22 January of the
year after their plan; the Department reports each quarter.
"""

import datetime

DAY = datetime.timedelta(days=1)

# An item is "due soon" this many days before its due date, and "overdue" the day after it.
DUE_SOON_DAYS = 7

DEPARTMENT_DOSSIER = (5, 20)  # (month, day) of the year before the plan's year
MINISTRY_DOSSIER = (6, 15)
PROGRESS_DAY = 25  # of every month
SETTLEMENT_DAYS = 15  # after the acceptance
CONTRACT_CLOSING = (1, 22)  # of the year after the plan's year
# The quarterly report is due this many days after the quarter ends (the automatic report of
# beat is made on its first day, so there is time to check and send it).
QUARTERLY_REPORT_DAYS = 10

SOON = "soon"
OVERDUE = "overdue"
STAGES = {SOON: "Sắp đến hạn", OVERDUE: "Quá hạn"}


def stage(due_on, today, soon_days=DUE_SOON_DAYS):
    """OVERDUE after the due date, SOON from `soon_days` before it up to the day itself, else
    None (nothing to remind yet)."""
    if today > due_on:
        return OVERDUE
    if (due_on - today).days <= soon_days:
        return SOON
    return None


def horizon(today, soon_days=DUE_SOON_DAYS):
    """The last due date that is already "due soon" on `today`: every query keeps the rows due
    on or before it, so the calendar is filtered by the database, not in Python."""
    return today + soon_days * DAY


def department_dossier_due(plan_year):
    """A facility's dossier for the plan of `plan_year` reaches the Department the year before."""
    return datetime.date(plan_year - 1, *DEPARTMENT_DOSSIER)


def ministry_dossier_due(plan_year):
    """The province's national-plan dossier for `plan_year` reaches the Ministry the year before."""
    return datetime.date(plan_year - 1, *MINISTRY_DOSSIER)


def progress_due(today):
    """The monthly progress report of the month `today` is in: before the 25th of that month."""
    return today.replace(day=PROGRESS_DAY)


def month_key(today):
    return f"{today:%Y-%m}"


def settlement_due(accepted_on):
    """The settlement dossier, 15 days after the acceptance (which may cross a month or year)."""
    return accepted_on + SETTLEMENT_DAYS * DAY


def accepted_by_for_settlement(last_due):
    """The latest acceptance date whose settlement falls due on or before `last_due`."""
    return last_due - SETTLEMENT_DAYS * DAY


def contract_closing_due(plan_year):
    """Contracts of the plan of `plan_year` are closed by 22 January of the next year."""
    return datetime.date(plan_year + 1, *CONTRACT_CLOSING)


def latest_plan_year_closing_by(last_due):
    """The latest plan year whose contracts must be closed on or before `last_due`."""
    year = last_due.year - 1
    return year if contract_closing_due(year) <= last_due else year - 1


def quarterly_report_due(quarter):
    return quarter.bounds[1] + QUARTERLY_REPORT_DAYS * DAY
