"""Money in whole Vietnamese đồng: parsing what people type and showing it the Vietnamese way."""

import re

from django.utils.translation import gettext as _

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
_AMOUNT_WITH_UNIT = re.compile(r"^(\d+(?:,\d+)?)\s*(" + "|".join(map(re.escape, _UNITS)) + r")$")
_GROUPED = re.compile(r"^\d{1,3}([. ]\d{3})+$")


def format_vnd(amount, unit=True):
    """1200000000 → '1.200.000.000 đ' (thousands separated by dots, as Vietnamese write them)."""
    if amount is None:
        return ""
    text = f"{int(amount):,}".replace(",", ".")
    return f"{text} đ" if unit else text


def parse_vnd(text):
    """Read an amount typed as '1.200.000.000', '1200000000', '1,2 tỷ' or '65 tr.đ' into đồng.

    Raises ValueError with a Vietnamese message for anything else, including fractions of a đồng.
    """
    if isinstance(text, int):
        return text
    raw = " ".join(str(text).strip().lower().split())
    for suffix in (" đồng", "đồng", " đ", "đ", " vnd", "vnd"):
        if raw.endswith(suffix) and not raw.endswith("tr.đ") and not raw.endswith("trđ"):
            raw = raw[: -len(suffix)].strip()
            break
    if raw.isdigit():
        return int(raw)
    if _GROUPED.match(raw):
        return int(raw.replace(".", "").replace(" ", ""))
    match = _AMOUNT_WITH_UNIT.match(raw)
    if match:
        number, unit = match.groups()
        whole, _sep, frac = number.partition(",")
        scaled, divisor = int(whole + frac) * _UNITS[unit], 10 ** len(frac)
        if scaled % divisor:
            raise ValueError(_("Số tiền phải là số đồng nguyên."))
        return scaled // divisor
    raise ValueError(
        _("Số tiền không hợp lệ: “%(text)s”. Hãy nhập như 1.200.000.000 hoặc 1,2 tỷ.")
        % {"text": text}
    )
