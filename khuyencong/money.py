"""Money in whole Vietnamese đồng: parsing what people type and showing it the Vietnamese way."""

import re

from django.utils.translation import gettext as _

# A thousand times any province's yearly programme: an amount above it is a typing mistake, and
# thousands of amounts below it still add up within the database's 64-bit integers.
MAX_VND = 10**15

_UNITS = {
    "tỷ": 1_000_000_000,
    "ty": 1_000_000_000,
    "tỉ": 1_000_000_000,
    "triệu": 1_000_000,
    "trieu": 1_000_000,
    "tr": 1_000_000,
    "tr.đ": 1_000_000,
    "trđ": 1_000_000,
    "nghìn": 1_000,
    "ngàn": 1_000,
}
# ASCII digits only: Python's int() also reads other scripts' digits and refuses some (²).
_DIGITS = re.compile(r"^[0-9]+$")
_AMOUNT_WITH_UNIT = re.compile(
    r"^([0-9]+(?:,[0-9]+)?)\s*(" + "|".join(map(re.escape, _UNITS)) + r")$"
)
_GROUPED = re.compile(r"^[0-9]{1,3}([. ][0-9]{3})+$")


def format_vnd(amount, unit=True):
    """1200000000 → '1.200.000.000 đ' (thousands separated by dots, as Vietnamese write them)."""
    if amount is None:
        return ""
    text = f"{int(amount):,}".replace(",", ".")
    return f"{text} đ" if unit else text


def check_vnd(amount):
    """The amount, or ValueError with a Vietnamese message when it is beyond MAX_VND."""
    if amount > MAX_VND:
        raise ValueError(_("Số tiền quá lớn: tối đa %(max)s.") % {"max": format_vnd(MAX_VND)})
    return amount


def parse_vnd(text):
    """Read an amount typed as '1.200.000.000', '1200000000', '1,2 tỷ' or '65 tr.đ' into đồng.

    Raises ValueError with a Vietnamese message for anything else, including fractions of a đồng
    and amounts beyond MAX_VND.
    """
    if isinstance(text, int):
        return check_vnd(text)
    raw = " ".join(str(text).strip().lower().split())
    for suffix in (" đồng", "đồng", " đ", "đ", " vnd", "vnd"):
        if raw.endswith(suffix) and not raw.endswith("tr.đ") and not raw.endswith("trđ"):
            raw = raw[: -len(suffix)].strip()
            break
    if len(re.sub(r"[^0-9]", "", raw)) > 40:  # no amount has as many; int() refuses thousands
        return check_vnd(MAX_VND + 1)
    if _DIGITS.match(raw):
        return check_vnd(int(raw))
    if _GROUPED.match(raw):
        return check_vnd(int(raw.replace(".", "").replace(" ", "")))
    match = _AMOUNT_WITH_UNIT.match(raw)
    if match:
        number, unit = match.groups()
        whole, _sep, frac = number.partition(",")
        scaled, divisor = int(whole + frac) * _UNITS[unit], 10 ** len(frac)
        if scaled % divisor:
            raise ValueError(_("Số tiền phải là số đồng nguyên."))
        return check_vnd(scaled // divisor)
    shown = str(text) if len(str(text)) <= 40 else f"{str(text)[:40]}…"
    raise ValueError(
        _("Số tiền không hợp lệ: “%(text)s”. Hãy nhập như 1.200.000.000 hoặc 1,2 tỷ.")
        % {"text": shown}
    )
