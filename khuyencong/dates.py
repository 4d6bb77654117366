"""Dates as Vietnamese write them (dd/mm/yyyy), the programme's years and its quarters."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

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

    @property
    def label(self):
        return f"quý {self.quarter}/{self.year}"

    @property
    def key(self):
        return f"{self.year}-Q{self.quarter}"


def last_ended_quarter(today):
    """The quarter before the one `today` is in: the one people report on."""
    return Quarter.of(today).shifted(-1)
