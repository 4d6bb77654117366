"""Forms of district intake. The rules themselves live on the models (clean) and in services."""

from django import forms
from django.utils import timezone

from khuyencong.forms import ActivityChoiceField, ConcurrentEditForm, SentOnceForm
from khuyencong.models import ActivityType, AdministrativeUnit

from .models import Document, DocumentKind, Facility, SupportRequest


def communes_for(user, *, keep=None):
    """The communes (lowest units) a user may place a facility in: those of his scope that
    exist today, since facilities are today's; and `keep`, the unit a facility already has."""
    communes = AdministrativeUnit.objects.visible_to(user).valid_on(timezone.localdate())
    communes = communes.filter(level=AdministrativeUnit.Level.COMMUNE).keeping(keep)
    return communes.select_related("parent").order_by("parent__name", "name")


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.dated_label(f"{unit.name} – {unit.parent.name}" if unit.parent else None)


class FacilityForm(SentOnceForm, ConcurrentEditForm):
    # Hidden until a likely duplicate is flagged: nobody ticks it in advance.
    confirm_duplicate = forms.BooleanField(
        label="Tôi đã kiểm tra: đây là một cơ sở khác, vẫn lưu.",
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Facility
        fields = Facility.ENTRY_FIELDS
        field_classes = {"unit": CommuneChoiceField}
        widgets = {"products": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "tax_code": "10 chữ số, hoặc 10 chữ số-3 chữ số với chi nhánh. Bắt buộc với "
            "doanh nghiệp và hợp tác xã.",
            "phone": "Có thể ghi nhiều số, cách nhau bằng dấu phẩy.",
            "address": "Bắt buộc với doanh nghiệp, hợp tác xã và tổ hợp tác.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = communes_for(user, keep=self.instance.unit_id)
        self.fields["unit"].empty_label = "— Chọn xã, phường, thị trấn —"
        self.fields["sector"].queryset = self.fields["sector"].queryset.filter(is_active=True)
        self.fields["sector"].empty_label = "— Chọn ngành nghề —"
        self.duplicates = []

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.cleaned_data.get("confirm_duplicate"):
            return
        self.duplicates = list(self.instance.likely_duplicates()[:5])
        if self.duplicates:
            self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
            self.add_error(
                None,
                forms.ValidationError(
                    "Có thể cơ sở này đã được nhập (cùng mã số thuế, hoặc cùng tên trong cùng "
                    "xã). Hãy kiểm tra danh sách bên dưới; nếu đúng là cơ sở khác, đánh dấu ô "
                    "xác nhận rồi lưu lại.",
                    code="duplicate",
                ),
            )


class SupportRequestForm(SentOnceForm, ConcurrentEditForm):
    class Meta:
        model = SupportRequest
        fields = [
            "facility",
            "year",
            "activity_type",
            "content",
            "total_cost",
            "counterpart",
            "support_requested",
            *SupportRequest.PRIORITY_FLAGS,
        ]
        field_classes = {"activity_type": ActivityChoiceField}
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "total_cost": "Ví dụ 350.000.000 hoặc 0,35 tỷ.",
            "support_requested": "Không vượt tổng kinh phí trừ phần đối ứng.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        facilities = (
            Facility.objects.visible_to(user)
            .select_related("unit")
            .only("pk", "name", "unit__name")
        )
        self.fields["facility"].queryset = facilities
        self.fields["facility"].empty_label = "— Chọn cơ sở —"
        self.fields["facility"].label_from_instance = lambda f: f"{f.name} ({f.unit.name})"
        self.fields["activity_type"].queryset = ActivityType.objects.filter(
            parent__isnull=False, is_active=True, for_facilities=True
        )
        self.fields["activity_type"].empty_label = "— Chọn nội dung hỗ trợ —"
        if not self.instance.pk and not self.initial.get("year"):
            self.initial["year"] = timezone.localdate().year + 1
        if self.instance.pk:
            # A request stays with its facility; file a new one for another facility.
            self.fields["facility"].disabled = True


class DocumentForm(forms.Form):
    kind = forms.ModelChoiceField(
        label="Loại tài liệu", queryset=DocumentKind.objects.none(), required=False
    )
    title = forms.CharField(label="Tên tài liệu", max_length=255, required=False)
    file = forms.FileField(
        label="Tệp (PDF, ảnh JPEG/PNG, Word, Excel)",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is None:
            del self.fields["kind"]
        else:
            self.fields["kind"].queryset = kinds
            self.fields["kind"].empty_label = "Tài liệu khác"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx) theo mẫu",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


__all__ = [
    "Document",
    "DocumentForm",
    "FacilityForm",
    "ImportUploadForm",
    "SupportRequestForm",
]
