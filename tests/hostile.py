"""Hostile values for the property-based tests of forms and imports (hypothesis strategies), and
the checks every answer to them must pass: no crash, a Vietnamese reason, nothing written when
refused, clean text when saved."""

import re
import unicodedata

from django.apps import apps
from django.db import models
from hypothesis import strategies as st

VIETNAMESE = "Cơ sở chế biến chè Shan tuyết Tân Quang của bà Hoàng Thị Mai, thôn Nà Ràng"

# Numbers no field takes: beyond every column, negative, not finite, other scripts' digits that
# Python's int() reads or refuses, and more digits than int() converts at all.
_BEYOND_ANY = (
    "1" + "0" * 30,
    str(2**63),
    str(2**63 - 1),
    str(-(2**63) - 1),
    "9" * 5000,
    "-1",
    "-500.000.000",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "²",
    "0x1F",
    "1.2.3",
    "--1",
)
BAD_NUMBERS = (*_BEYOND_ANY, str(2**31))  # beyond a 32-bit column, a fair amount of money
BAD_MONEY = (
    *_BEYOND_ANY,
    "1.000.000.000.000.000.001",
    "9999999999999 tỷ",
    "-1,2 tỷ",
    "1,23456789012 tỷ",
    "١٢٣",
    "１２３",
    "12.34.567",
)
BAD_DATES = (
    "31/02/2024",
    "29/02/2023",
    "32/01/2024",
    "01/13/2024",
    "00/00/0000",
    "99/99/9999",
    "01/01/0001",
    "31/12/9999",
    "01/01/10000",
    "1/5/22",  # the year 22
    "31/12/1999",
    "01/01/2101",
    "2024-02-30",
    "١/١/٢٠٢٤",
)
CONTROLS = (
    "\x00",
    "\x01",
    "\x08",
    "\x1b",
    "\x7f",
    "\x85",
    "\u200b",
    "\u200e",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u2028",
)
# One character each that grows under NFC (क़), NFD (한) or lower() (İ).
EXPANDING = ("\u0958", "\ufb2c", "한", "İ", "\u0344")
MIXED = (
    "Пётр Иванович",
    "北京市朝阳区",
    "مرحبا بالعالم",
    "😀👨‍👩‍👧🇻🇳",
    "Ελληνικά",
    "עברית",
    unicodedata.normalize("NFD", "Trường Sơn – Đồng Văn – Mèo Vạc"),
    "Z̸̡̛a̵̢l̴g̷o̶",
)
MARKUP = (
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request.user.password }}",
    "{% debug %}",
    "javascript:alert(1)",
)
SQLISH = (
    "'; DROP TABLE beneficiaries_facility; --",
    "' OR '1'='1",
    "%_%",
    "\\",
    "$$; SELECT pg_sleep(10); $$",
)
FORMULAS = (
    "=CMD|' /C calc'!A0",
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    '=HYPERLINK("http://evil.example","bấm vào đây")',
)


@st.composite
def _with_controls(draw):
    text = draw(st.sampled_from((VIETNAMESE, "Hoàng Thị Mai", "0912345678", "Chè")))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(CONTROLS)) + text[at:]
    return text


def _long_text(length):
    return (VIETNAMESE + " ") * (length // len(VIETNAMESE) + 1)


def hostile_text():
    """Text a form should survive: refused with a reason, or stored clean."""
    return st.one_of(
        st.sampled_from((*MIXED, *MARKUP, *SQLISH, *FORMULAS, *CONTROLS, *BAD_NUMBERS)),
        st.lists(
            st.sampled_from((*MIXED, VIETNAMESE, *CONTROLS, *MARKUP)), min_size=2, max_size=4
        ).map(" ".join),
        _with_controls(),
        st.integers(10_000, 100_000).map(lambda n: _long_text(n)[:n]),
        st.tuples(st.sampled_from(EXPANDING), st.integers(60, 300)).map(lambda t: t[0] * t[1]),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40),
    )


# What each kind of field is sent. A value marked refused must be refused: no field takes it.
BY_KIND = {
    "money": BAD_MONEY,
    "number": BAD_NUMBERS,
    "date": BAD_DATES,
    "choice": ("0", "-1", str(2**63), "9" * 40, "²", "<script>", "' OR 1=1 --"),
}


@st.composite
def hostile_changes(draw, kinds):
    """{field: (value, must_refuse)}: one to three fields of a valid payload made hostile."""
    names = draw(
        st.lists(
            st.sampled_from(sorted(kinds)), min_size=1, max_size=min(3, len(kinds)), unique=True
        )
    )
    changes = {}
    for name in names:
        refused = BY_KIND.get(kinds[name], ())
        if refused and draw(st.booleans()):
            changes[name] = (draw(st.sampled_from(refused)), True)
        else:
            changes[name] = (draw(hostile_text()), False)
    return changes


# --- Checks -------------------------------------------------------------------------------------

_VIETNAMESE_LETTERS = re.compile(
    "[ăâđêôơưàằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ]", re.IGNORECASE
)
# Django's English defaults, Python's own messages, and names of the code (a constraint's, a
# field's) that must never reach a user.
_ENGLISH = re.compile(
    r"\b(Enter a|Ensure this|This field|Select a valid|Null characters|invalid literal|"
    r"Exceeds the limit|value must be|expected a number|is not a valid|does not exist|"
    r"Constraint|Traceback|Error)\b|\b[a-z]+(_[a-z0-9]+){2,}\b"
)


def is_vietnamese(message, submitted=()):
    """A message in Vietnamese, judged without the user's own values it may quote."""
    for value in sorted(submitted, key=len, reverse=True):
        if isinstance(value, str) and len(value) >= 3:
            message = message.replace(value, "")
    return bool(_VIETNAMESE_LETTERS.search(message)) and not _ENGLISH.search(message)


def is_clean_text(value):
    """NFC, and no control or invisible format character but tabs, line breaks and joiners."""
    if unicodedata.normalize("NFC", value) != value:
        return False
    return all(
        ch in "\t\n\r\u200c\u200d" or unicodedata.category(ch) not in ("Cc", "Cf") for ch in value
    )


# The portal's own records; access and audit logs change on every request and are left out.
WATCHED_APPS = ("beneficiaries", "schemes", "reports", "duties")


def watched_models():
    return [
        model
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy
    ]


def snapshot(exclude=()):
    """Every row of the portal's records: {model: {pk: {field: value}}}."""
    return {
        model: {row["pk"]: row for row in model._base_manager.values("pk", *_names(model))}
        for model in watched_models()
        if model not in exclude
    }


def _names(model):
    return [f.attname for f in model._meta.concrete_fields]


def changed_rows(before, after):
    """[(model, row)] of the rows added or changed between two snapshots."""
    return [
        (model, row)
        for model, rows in after.items()
        for pk, row in rows.items()
        if before.get(model, {}).get(pk) != row
    ]


def unclean_text(before, after):
    """[(model, field, value)] of stored text that is not NFC, has control characters, or is
    longer than its column."""
    found = []
    for model, row in changed_rows(before, after):
        for field in model._meta.concrete_fields:
            value = row.get(field.attname)
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if not isinstance(value, str):
                continue
            too_long = field.max_length is not None and len(value) > field.max_length
            # Search keys (not editable) are decomposed on purpose; what users typed is NFC.
            if too_long or (field.editable and not is_clean_text(value)):
                found.append((model.__name__, field.name, value[:80]))
    return found
