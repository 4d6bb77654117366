"""The facility rules that forms, imports and the admin all apply (through Facility.clean)."""

import re

from django.core.exceptions import ValidationError

TAX_CODE_PATTERN = r"^[0-9]{10}(-[0-9]{3})?$"
_TAX_CODE = re.compile(TAX_CODE_PATTERN)
# Vietnamese numbers: mobiles 0 + 9 digits, landlines 0 + area + number = 11 digits.
_PHONE = re.compile(r"^0[1-9][0-9]{8,9}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def clean_tax_code(value):
    """'0100 109 106' → '0100109106'; a branch keeps its '-001'. Empty stays empty."""
    code = "".join(str(value or "").split())
    if code and not _TAX_CODE.match(code):
        raise ValidationError(
            "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số với chi nhánh "
            "(ví dụ 0100109106 hoặc 0100109106-001).",
            code="tax_code",
        )
    return code


def clean_phones(value):
    """One or more Vietnamese phone numbers separated by ',' or ';', written plainly:
    '+84 912.345.678; 0219 3868 123' → '0912345678, 02193868123'."""
    numbers = []
    for part in re.split(r"[,;/]", str(value or "")):
        digits = _PHONE_SEPARATORS.sub("", part)
        if not digits:
            continue
        if digits.startswith("+84"):
            digits = "0" + digits[3:]
        elif digits.startswith("84") and len(digits) in (11, 12):
            digits = "0" + digits[2:]
        if not _PHONE.match(digits):
            raise ValidationError(
                f"Số điện thoại “{part.strip()}” không hợp lệ: cần 10 chữ số (di động) hoặc "
                "11 chữ số (cố định), bắt đầu bằng 0 hoặc +84.",
                code="phone",
            )
        numbers.append(digits)
    return ", ".join(numbers)
