"""Model and form fields shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from .dates import FIRST_DAY, LAST_DAY, format_date_vn
from .money import format_vnd, parse_vnd

# The characters an Excel cell holds; openpyxl cuts a longer text to it without a word. Every text
# that goes to a spreadsheet is limited below it on entry, so an export keeps it whole.
EXCEL_CELL_LIMIT = 32_767
LONG_TEXT = 5_000  # a description, the content of a request, an inspection's findings
SHORT_TEXT = 2_000  # a reason, a note, a list of products or of a committee's members
TEXT_TOO_LONG = (
    "Nội dung dài %(show_value)d ký tự, quá mức tối đa %(limit_value)d ký tự của ô này. Hãy "
    "rút gọn, hoặc đưa phần chi tiết vào tệp đính kèm."
)


class LimitedTextField(models.TextField):
    """A text of several lines with a length limit that every entry keeps: the form, the import's
    row checks and full_clean() refuse a longer text with TEXT_TOO_LONG; nothing is cut. The
    limit is a validator, not a database CHECK, so rows stored before it still load and save."""

    def __init__(self, *args, max_length, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, MaxLengthValidator(self.max_length, message=TEXT_TOO_LONG)]

    def formfield(self, **kwargs):
        field = super().formfield(**{"error_messages": {"max_length": TEXT_TOO_LONG}, **kwargs})
        # No maxlength attribute: a browser would cut a longer paste without a word; the form
        # says what is too long instead.
        field.widget.attrs.pop("maxlength", None)
        return field


class UnitChoiceField(forms.ModelChoiceField):
    """Picks an administrative unit; a unit that has ended says so ("… (đến 30/06/2025)")."""

    def label_from_instance(self, unit):
        return unit.dated_label()


class MoneyFormField(forms.CharField):
    """Accepts '1.200.000.000', '1200000000' or '1,2 tỷ'; gives whole đồng."""

    def __init__(self, *, min_value=0, **kwargs):
        kwargs.pop("max_length", None)
        self.min_value = min_value
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("class", "money")

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_vnd(value, unit=False)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            amount = parse_vnd(value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc
        if self.min_value is not None and amount < self.min_value:
            raise ValidationError("Số tiền không được âm.", code="min_value")
        return amount


class DateFormField(forms.DateField):
    """A date typed dd/mm/yyyy, refused outside the programme's years (FIRST_DAY–LAST_DAY)."""

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_DAY <= value <= LAST_DAY:
            raise ValidationError(
                f"Ngày phải trong khoảng {format_date_vn(FIRST_DAY)} – "
                f"{format_date_vn(LAST_DAY)}; hãy ghi năm đủ 4 chữ số.",
                code="out_of_range",
            )


class DateInput(forms.DateInput):
    """A text box for dd/mm/yyyy: the format every user here writes, on every browser."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "class": "date", **(attrs or {})})
        self.format = "%d/%m/%Y"


class MoneyField(models.BigIntegerField):
    """An amount in whole đồng. Never a float."""

    is_money = True

    def formfield(self, **kwargs):
        # Skip IntegerField's number input and its 64-bit bounds: money is typed as text
        # ('1,2 tỷ') and may never be negative.
        return models.Field.formfield(self, **{"form_class": MoneyFormField, **kwargs})


def non_negative(*fields, prefix):
    """CheckConstraints refusing negative amounts, one per field, named after the table."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{f}__gte": 0}),
            name=f"{prefix}_{f}_non_negative",
            violation_error_code=f,
            violation_error_message="Số tiền không được âm.",
        )
        for f in fields
    ]
