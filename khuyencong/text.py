"""Vietnamese text: stored NFC-normalised, searched without case or diacritics."""

import unicodedata


def nfc(value):
    """NFC form with surrounding whitespace removed; None stays None."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", str(value)).strip()


def search_key(*values):
    """'Bắc Quang', 'ĐỒNG VĂN' → 'bac quang dong van': what free-text search compares against."""
    text = " ".join(str(v) for v in values if v)
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
