"""What people type in a spreadsheet's cells, read with Vietnamese messages: each widget's
clean() gives the value to store or raises ValueError saying what is wrong with the cell, and its
render() writes the value back in an export."""

import re

from import_export import widgets

from khuyencong.money import parse_vnd
from khuyencong.text import search_key


def refuse_formula(value):
    if isinstance(value, str) and value.startswith("="):
        raise ValueError("Ô chứa công thức; hãy ghi giá trị (chép và dán dạng giá trị).")


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a tax code or phone number typed as a number
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


# 1234 or 1.234, in ASCII digits: int() reads other scripts' digits, refuses some (²) and
# thousands of them in English, and "1.2.3" is a typing mistake, not 123.
_WHOLE = re.compile(r"^([0-9]+|[0-9]{1,3}(\.[0-9]{3})+)$")


class WholeNumberWidget(widgets.Widget):
    def __init__(self, *, money=False, blank=None):
        super().__init__()
        self.money, self.blank = money, blank

    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if value in (None, ""):
            return self.blank
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError(f"“{value}” phải là số nguyên.")
            value = int(value)
        if isinstance(value, int) and not self.money:
            number = value
        elif self.money:
            number = parse_vnd(value)
        else:
            text = str(value).strip()
            if not (_WHOLE.match(text) and len(text) <= 24):
                raise ValueError(f"“{value}” không phải là số.")
            number = int(text.replace(".", ""))
        if number < 0:
            raise ValueError("Không được là số âm.")
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class YesNoWidget(widgets.Widget):
    YES = {"có", "co", "x", "1", "true", "yes"}
    NO = {"", "không", "khong", "0", "false", "no"}

    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(f"“{value}”: hãy ghi “Có” hoặc để trống.")

    def render(self, value, obj=None, **kwargs):
        return "Có" if value else ""


AMBIGUOUS = object()


class LookupWidget(widgets.Widget):
    """A value chosen from a list, found by its label, its code or its name, ignoring case and
    accents. `choices` is [(object, code, name)]; `label` names the list in messages."""

    def __init__(self, choices, label, *, labels=None):
        super().__init__()
        self.label = label
        self.by_key = {}
        for obj, code, name in choices:
            keys = (
                {code, name, f"{code} – {name}", f"{code} - {name}"}
                if code and name
                else {code or name}
            )
            for key in filter(None, keys):
                key = search_key(key)
                # A name two entries share (two communes called Tân Lập) finds neither.
                self.by_key[key] = obj if self.by_key.get(key, obj) == obj else AMBIGUOUS
        # The texts of the list as the template offers them, found without computing their key:
        # most cells hold one of them (the drop-down's), ten thousand times in a large sheet.
        self.by_text = {
            text: self.by_key[search_key(text)]
            for _obj, code, name in choices
            for text in (code, name, f"{code} – {name}")
            if text and search_key(text) in self.by_key
        }
        self.labels = labels or {}

    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if value in (None, ""):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        found = self.by_text.get(value) if isinstance(value, str) else None
        if found is None:
            found = self.by_key.get(search_key(str(value)))
        if found is AMBIGUOUS:
            raise ValueError(f"“{value}” trùng tên trong danh sách {self.label}: hãy ghi kèm mã.")
        if found is None:
            raise ValueError(
                f"“{value}” không có trong danh sách {self.label} (xem trang Danh mục)."
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.labels.get(value, str(value))
