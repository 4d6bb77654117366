"""What a life-cycle step takes from the user, declared once beside its transition
(`custom={"label": …, "inputs": SomeInputs}`): khuyencong.workflow.run_transition binds the form
to the step's keyword arguments — the strings of a page's POST, or Python values from a service
or a test — and the page renders the same form's fields.

Each field's messages say what is missing in Vietnamese, so a refusal reads the same from the
page and from a service."""

from django import forms
from django.core.exceptions import ValidationError

from .dates import NotAfterToday, today
from .fields import DateFormField, DateInput
from .text import nfc
from .workflow import REASON_MAX_LENGTH


def _count(number):
    return f"{number:,}".replace(",", ".")


class StoredTextField(forms.CharField):
    """Text as it will be stored (NFC, invisible characters dropped): an input of nothing but
    a zero-width space is empty, and the length is that of the stored text."""

    def __init__(self, *, label, error_messages=None, **kwargs):
        named = {"max_length": f"{label} có tối đa %(limit_value)d ký tự (đang có %(show_value)d)."}
        super().__init__(label=label, error_messages={**named, **(error_messages or {})}, **kwargs)

    def to_python(self, value):
        return nfc(super().to_python(value))


class ReasonField(StoredTextField):
    """A reason people read on the record's page; at most REASON_MAX_LENGTH characters."""

    def __init__(self, *, missing, **kwargs):
        super().__init__(error_messages={"required": missing}, **kwargs)
        self.limit = REASON_MAX_LENGTH
        self.widget.attrs["maxlength"] = str(self.limit)

    def validate(self, value):
        super().validate(value)
        if len(value) > self.limit:
            raise ValidationError(
                f"{self.label} dài {_count(len(value))} ký tự; hãy ghi gọn trong "
                f"{_count(self.limit)} ký tự.",
                code="max_length",
            )


def reason_inputs(label, *, missing, help_text="", widget=None):
    """The inputs of a step that needs a reason (a scheme cancelled, a request not chosen)."""

    class ReasonInputs(forms.Form):
        reason = ReasonField(label=label, missing=missing, help_text=help_text, widget=widget)

    return ReasonInputs


def decision_inputs(*, missing, **more):
    """The inputs of an approval: the decision's number and its date (dd/mm/yyyy), refused
    with `missing` when either is empty or not a date; `more` are further fields."""
    named = {"required": missing, "invalid": missing}
    fields = {
        "decision_number": StoredTextField(
            label="Số quyết định", max_length=50, error_messages={"required": missing}
        ),
        "decision_date": DateFormField(
            label="Ngày",
            help_text="dd/mm/yyyy",
            widget=DateInput(),
            error_messages=named,
            validators=[NotAfterToday("Ngày quyết định")],
        ),
        **more,
    }
    return type("DecisionInputs", (forms.Form,), fields)


class SettlementInputs(forms.Form):
    """The inputs of a settlement: its date, today when left empty."""

    settled_on = DateFormField(
        label="Ngày quyết toán",
        help_text="dd/mm/yyyy",
        widget=DateInput(),
        required=False,
        validators=[NotAfterToday("Ngày quyết toán")],
    )

    def clean_settled_on(self):
        return self.cleaned_data["settled_on"] or today()
