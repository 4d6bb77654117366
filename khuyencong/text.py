"""Vietnamese text: stored NFC-normalised, searched without case or diacritics."""

import unicodedata

# Invisible characters nobody types on purpose: control characters (NUL makes PostgreSQL refuse
# the row, the others make an .xlsx export unreadable) and format characters such as bidi
# overrides and zero-width spaces, which make a text read differently from what it is. Tabs and
# line breaks stay, and so do the zero-width joiners that emoji and some scripts need.
_KEPT = {"\t", "\n", "\r", "\u200c", "\u200d"}


def _visible(text):
    return "".join(ch for ch in text if ch in _KEPT or unicodedata.category(ch) not in ("Cc", "Cf"))


def nfc(value):
    """NFC form without invisible control characters, surrounding whitespace removed; None
    stays None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value))
    return (text if text.isprintable() else _visible(text)).strip()


class _Bare(dict):
    """str.translate table: each character → what is left of it without its accents, found the
    first time the character is met. Decomposition (NFD) works character by character and the
    combining marks are then dropped, so this gives what NFD and dropping the marks give, at C
    speed: an import computes three keys per row of ten thousand."""

    def __missing__(self, code):
        char = chr(code)
        bare = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        self[code] = bare
        return bare


_BARE = _Bare({ord("đ"): "d", ord("Đ"): "D"})


def search_key(*values):
    """'Bắc Quang', 'ĐỒNG VĂN' → 'bac quang dong van': what free-text search compares against."""
    text = " ".join(str(v) for v in values if v)
    return " ".join(text.translate(_BARE).lower().split())
