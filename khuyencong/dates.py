"""Dates as Vietnamese write them (dd/mm/yyyy), the programme's years and its quarters, today,
and the rule that what a record says has happened (a payment, a signature, a decision) cannot
have happened after today."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

# The years the programme's records may carry (plans, requests, reports): '01/05/22' read as the
# year 22 is a typing mistake, not a contract signed two thousand years ago.
FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DAY = datetime.date(FIRST_YEAR, 1, 1)
LAST_DAY = datetime.date(LAST_YEAR, 12, 31)
YEAR_OUT_OF_RANGE = f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}."


def plausible_year_q(field="year"):
    """The condition of a CheckConstraint keeping `field` within FIRST_YEAR–LAST_YEAR."""
    return Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR})


def is_plausible_year(year):
    return year is not None and FIRST_YEAR <= year <= LAST_YEAR


def parse_date_vn(text):
    """'31/12/2022' (or ISO '2022-12-31') → date; None when empty, not a real date, or outside
    FIRST_DAY–LAST_DAY."""
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return day if FIRST_DAY <= day <= LAST_DAY else None
    return None


def format_date_vn(day):
    return day.strftime("%d/%m/%Y") if day else ""


def format_datetime_vn(moment):
    """A moment in the portal's time zone as "dd/mm/yyyy HH:MM", the one order of every page,
    message and file (the templates' DATETIME_FORMAT, "d/m/Y H:i", says the same)."""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def today():
    """Today in the portal's time zone (Asia/Ho_Chi_Minh): the one "today" of every rule."""
    return timezone.localdate()


# A fact (a payment, an inspection, a decision) is dated on or before today; a plan may be *for*
# next year, its deadlines and planned dates may lie ahead, but what has happened has a past date.
# Not a database constraint: a CHECK must not read the clock.


def after_today_message(label):
    """'Ngày chi không thể sau hôm nay (03/12/2026).'"""
    return f"{label[:1].upper()}{label[1:]} không thể sau hôm nay ({format_date_vn(today())})."


def check_not_after_today(day, label):
    """ValidationError (code "future") if `day` lies after today."""
    if day is not None and day > today():
        raise ValidationError(after_today_message(label), code="future")


class NotAfterToday:
    """A form field's validator refusing a date after today, named by `label`."""

    def __init__(self, label):
        self.label = label

    def __call__(self, day):
        check_not_after_today(day, self.label)


def future_fact_errors(record, exclude=()):
    """{field name: ValidationError} for each of the record's `fact_dates` (the dates of what
    has happened, declared on its model) that lies after today; fields in `exclude` (not on the
    form being checked) are left alone."""
    errors = {}
    for name in getattr(record, "fact_dates", ()):
        if name in (exclude or ()):
            continue
        try:
            check_not_after_today(getattr(record, name), record._meta.get_field(name).verbose_name)
        except ValidationError as error:
            errors[name] = error
    return errors


def quarter_bounds(year, quarter):
    """First and last day of a quarter."""
    first = datetime.date(year, 3 * quarter - 2, 1)
    next_first = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, next_first - datetime.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def of(cls, day):
        """The quarter `day` is in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    def shifted(self, quarters):
        """The quarter `quarters` after this one (before it, when negative)."""
        year, index = divmod(self.year * 4 + self.quarter - 1 + quarters, 4)
        return Quarter(year, index + 1)

    @property
    def bounds(self):
        return quarter_bounds(self.year, self.quarter)

    def has_begun(self, day):
        """Whether the quarter has begun on `day`."""
        return self.bounds[0] <= day

    def is_running(self, day):
        """Whether `day` falls inside the quarter: its figures can only be "to date"."""
        first, last = self.bounds
        return first <= day <= last

    @property
    def label(self):
        return f"quý {self.quarter}/{self.year}"

    @property
    def key(self):
        return f"{self.year}-Q{self.quarter}"


def last_ended_quarter(day):
    """The quarter before the one `day` is in: the one people report on."""
    return Quarter.of(day).shifted(-1)


def quarter_not_begun_message(quarter, day):
    """Why a report of `quarter` cannot be made on `day`, or "" when it can (it has begun)."""
    if quarter.has_begun(day):
        return ""
    first = format_date_vn(quarter.bounds[0])
    return (
        f"Quý {quarter.quarter}/{quarter.year} chưa bắt đầu (bắt đầu từ ngày {first}): không "
        "thể lập báo cáo cho một quý chưa bắt đầu."
    )
