"""Dates as Vietnamese write them: dd/mm/yyyy."""

import datetime

# The days the programme's records may carry, as its plans' years (2000–2100): '01/05/22' read
# as the year 22 is a typing mistake, not a contract signed two thousand years ago.
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


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
