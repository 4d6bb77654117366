"""Vietnamese text: stored NFC-normalised, searched without case or diacritics."""

import unicodedata

# Invisible characters nobody types on purpose: control characters (NUL makes PostgreSQL refuse
# the row, the others make an .xlsx export unreadable) and format characters such as bidi
# overrides and zero-width spaces, which make a text read differently from what it is. Tabs and
# line breaks stay, and so do the zero-width joiners that emoji and some scripts need.
_KEPT = {"\t", "\n", "\r", "\u200c", "\u200d"}


def _visible(text):
    if text.isprintable():  # the usual case, checked at C speed
        return text
    return "".join(ch for ch in text if ch in _KEPT or unicodedata.category(ch) not in ("Cc", "Cf"))


def nfc(value):
    """NFC form without invisible control characters, surrounding whitespace removed; None
    stays None."""
    if value is None:
        return None
    return _visible(unicodedata.normalize("NFC", str(value))).strip()


def search_key(*values):
    """'Bắc Quang', 'ĐỒNG VĂN' → 'bac quang dong van': what free-text search compares against."""
    text = " ".join(str(v) for v in values if v)
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
