"""Form behaviours every app's forms share: constraint messages beside their fields, a save
refused over someone else's newer change, a new record's form saved once however often it is
sent, and one empty choice in Vietnamese in every select."""

import uuid

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from .history import edited_since, version_of
from .uploads import batch_errors

DJANGO_EMPTY_CHOICE = "---------"
EMPTY_CHOICE = "— Chọn —"


class OneEmptyChoice:
    """A select's empty choice in Vietnamese, "— Chọn —", where Django would offer "---------"
    (a model form's foreign key or choices, a ModelChoiceField): every form of the portal has
    it through its base. A form naming its own ("— Chọn cơ sở —") sets it after this."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == DJANGO_EMPTY_CHOICE:
                    field.empty_label = EMPTY_CHOICE
            elif isinstance(field, forms.ChoiceField):
                choices = list(field.choices)
                if choices and choices[0] == ("", DJANGO_EMPTY_CHOICE):
                    field.choices = [("", EMPTY_CHOICE), *choices[1:]]


class ActivityChoiceField(forms.ModelChoiceField):
    """An activity shown by its code first ("06.1 – Thông tin, tuyên truyền…"), as the
    programme's documents and our spreadsheets name it, in every form that picks one."""

    def label_from_instance(self, activity):
        return f"{activity.code} – {activity.name}"


class ConstraintErrorsOnFields(OneEmptyChoice, forms.ModelForm):
    """The model's constraints speak for themselves: each has its Vietnamese
    `violation_error_message`, and its `violation_error_code` names the field the message is
    shown beside (Django shows every constraint's message above the form otherwise). The form
    states no rule of its own that a constraint already states."""

    def _post_clean(self):
        super()._post_clean()
        errors = self._errors.get(NON_FIELD_ERRORS)
        if not errors:
            return
        kept = []
        for error in errors.as_data():
            if error.code in self.fields and error.code not in self._errors:
                self._errors.setdefault(error.code, self.error_class(renderer=self.renderer))
                self._errors[error.code].append(error)
                self.cleaned_data.pop(error.code, None)
            else:
                kept.append(error)
        if kept:
            self._errors[NON_FIELD_ERRORS] = self.error_class(
                kept, error_class="nonfield", renderer=self.renderer
            )
        else:
            del self._errors[NON_FIELD_ERRORS]


class ConcurrentEditForm(ConstraintErrorsOnFields):
    """Refuses to save over a change someone else saved after this form was opened. The view
    reads the record again under a row lock before binding the form, so that of two saves at
    the same instant the second compares against the first's result."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = version_of(self.instance)

    def clean(self):
        cleaned = super().clean()
        if stale := edited_since(self.instance, cleaned.get("version")):
            raise forms.ValidationError(stale, code="stale")
        return cleaned


def _sent_before(model, data):
    """The record of `model` that keeps the token the bound `data` carries, or None."""
    try:
        token = uuid.UUID(str(data.get("form_token", "")))
    except ValueError:
        return None
    return model._default_manager.filter(form_token=token).first()


class SentOnceForm(ConstraintErrorsOnFields):
    """A new record's form carries a token that the record keeps (unique): the same form sent
    twice — a double click, a page sent again — saves one record, not two."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["form_token"]
        else:
            self.fields["form_token"].initial = uuid.uuid4

    def sent_before(self):
        """The record this very form saved when it was sent before, or None."""
        if self.instance.pk or not self.is_bound:
            return None
        return _sent_before(self._meta.model, self.data)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            self.instance.form_token = cleaned.get("form_token")
        return cleaned


class SentOncePlainForm(OneEmptyChoice, forms.Form):
    """SentOnceForm for a form that is not a model's: the service it feeds gives the token
    (`cleaned_data["form_token"]`) to the record of `saves` it creates."""

    saves = None  # the model of the record the form creates
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_token"].initial = uuid.uuid4

    def sent_before(self):
        return _sent_before(self.saves, self.data) if self.is_bound else None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input: the list of them, each checked by the form."""

    def clean(self, data, initial=None):
        return [file for file in (data if isinstance(data, list | tuple) else [data]) if file]


class DossierBatchForm(SentOncePlainForm):
    """Several files of a dossier in one sending, each with the kind chosen on its row (the
    `kind` values in the files' order; "" for a document of no listed kind). Every file is
    checked; one refused refuses the whole sending, each refusal naming its file."""

    files = MultipleFileField(
        label="Tệp (PDF, ảnh JPEG/PNG, Word, Excel) — chọn được nhiều tệp",
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
        required=False,
    )

    def __init__(self, *args, kinds=(), saves=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = list(kinds)
        self.saves = saves  # the model of the documents stored, which keep the token

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError("Chưa chọn tệp nào để tải lên.")
        if errors := batch_errors(files):
            raise forms.ValidationError(
                ["Không tệp nào được lưu; hãy sửa các tệp sau rồi gửi lại:", *errors]
            )
        return files

    def clean(self):
        cleaned = super().clean()
        by_pk = {str(k.pk): k for k in self.kinds}
        chosen = []
        for value in self.data.getlist(self.add_prefix("kind")) if self.data else []:
            if value and value not in by_pk:
                raise forms.ValidationError("Loại tài liệu đã chọn không thuộc hồ sơ này.")
            chosen.append(by_pk.get(value))
        cleaned["kinds"] = chosen
        return cleaned
