"""Dates as Vietnamese write them: dd/mm/yyyy."""

import datetime


def parse_date_vn(text):
    """'31/12/2022' (or ISO '2022-12-31') → date; None when empty or not a real date."""
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def format_date_vn(day):
    return day.strftime("%d/%m/%Y") if day else ""


def quarter_bounds(year, quarter):
    """First and last day of a quarter."""
    first = datetime.date(year, 3 * quarter - 2, 1)
    next_first = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, next_first - datetime.timedelta(days=1)
