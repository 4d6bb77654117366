"""Forms of plans, schemes and their records. The rules live on the models and in services;
these only read and check what the user typed, in Vietnamese."""

import datetime

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import DocumentKind, Facility, PriorityWeight, SupportRequest
from khuyencong.fields import DateFormField, DateInput, MoneyFormField, UnitChoiceField
from khuyencong.filters import SearchableSelect
from khuyencong.forms import (
    ActivityChoiceField,
    ConcurrentEditForm,
    SentOnceForm,
    SentOncePlainForm,
)
from khuyencong.models import ActivityType, AdministrativeUnit
from khuyencong.scope import in_unit_q, parse_pk
from khuyencong.stepinputs import ReasonField
from khuyencong.uploads import check_upload

from .models import (
    Acceptance,
    Contract,
    Disbursement,
    Inspection,
    Plan,
    Scheme,
    SchemeBeneficiary,
    SchemeDocument,
    SchemeItem,
    SupportRule,
)
from .services import EDITABLE_AFTER_APPROVAL, PHOTO_TYPES


def _dates(*names):
    return dict.fromkeys(names, DateInput())


def _date_fields(*names):
    return dict.fromkeys(names, DateFormField)


class PlanForm(ConcurrentEditForm):
    class Meta:
        model = Plan
        fields = ["year", "funding_source", "title", "approving_body", "budget"]
        help_texts = {
            "approving_body": "VD: Bộ Công Thương (khuyến công quốc gia) hoặc UBND tỉnh.",
            "budget": "Đồng; có thể gõ 1.200.000.000 hoặc 1,2 tỷ.",
        }


class SchemeForm(ConcurrentEditForm):
    class Meta:
        model = Scheme
        fields = [
            "plan",
            "code",
            "title",
            "kind",
            "selection",
            "activity_type",
            "unit",
            "implementing_body",
            "start_date",
            "end_date",
            "budget",
            "counterpart_budget",
            "description",
        ]
        widgets = {
            **_dates("start_date", "end_date"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {
            **_date_fields("start_date", "end_date"),
            "unit": UnitChoiceField,
            "activity_type": ActivityChoiceField,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.visible_to(user).select_related(
            "funding_source"
        )
        self.fields["activity_type"].queryset = ActivityType.objects.filter(
            is_active=True, parent__isnull=False
        ).order_by("code")
        self.fields["unit"].queryset = self._units(user)
        for name in ("plan", "activity_type", "unit"):
            self.fields[name].empty_label = "— Chọn —"
        if self.instance.pk and self.instance.status != Scheme.Status.PROPOSED:
            # Approved: the decision fixed its money and identity.
            for name, field in self.fields.items():
                if name not in (*EDITABLE_AFTER_APPROVAL, "version"):
                    field.disabled = True
                    field.help_text = "Đã cố định theo quyết định phê duyệt."

    def _units(self, user):
        """The places a scheme of the chosen plan's year may be in: the province and the units
        right under it (districts until 30/06/2025, communes and wards since) that existed at
        some time that year; and the scheme's own unit, kept when it has since ended."""
        year = self._plan_year()
        units = (
            AdministrativeUnit.objects.visible_to(user)
            .filter(Q(parent__isnull=True) | Q(parent__parent__isnull=True))
            .valid_during(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        )
        return units.keeping(self.instance.unit_id).order_by("path")

    def _plan_year(self):
        """The year of the plan posted, else of the plan the form opens with, else this year.
        An approved scheme's plan is fixed (its field disabled, not posted): the scheme's own."""
        plans = self.fields["plan"].queryset
        if self.instance.pk and self.instance.status != Scheme.Status.PROPOSED:
            chosen = self.instance.plan_id
        elif self.is_bound:
            chosen = parse_pk(self.data.get(self.add_prefix("plan")))
        else:
            chosen = parse_pk(self.initial.get("plan") or self.instance.plan_id)
        plan = plans.filter(pk=chosen).first() if chosen else None
        return plan.year if plan else timezone.localdate().year


class ItemForm(SentOncePlainForm):
    saves = SchemeItem
    activity_type = ActivityChoiceField(
        label="Nội dung hỗ trợ",
        queryset=ActivityType.objects.filter(is_active=True, parent__isnull=False).order_by("code"),
        empty_label="— Chọn —",
    )
    description = forms.CharField(label="Hạng mục", max_length=500)
    basis = forms.ChoiceField(
        label="Định mức tính theo",
        choices=[("", "Định mức chung của nội dung"), *SupportRule.Per.choices],
        required=False,
    )
    support_amount = MoneyFormField(label="Kinh phí khuyến công (đ)")
    counterpart = MoneyFormField(label="Đối ứng (đ)", required=False)
    exception_reason = forms.CharField(
        label="Lý do vượt định mức (chỉ khi được phép ghi nhận ngoại lệ)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, may_grant=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_grant:
            del self.fields["exception_reason"]


class SupportRuleForm(SentOnceForm, ConcurrentEditForm):
    class Meta:
        model = SupportRule
        fields = [
            "activity_type",
            "funding_source",
            "per",
            "percent",
            "cap_amount",
            "priority_multiplier",
            "valid_from",
            "valid_to",
            "legal_text",
            "note",
        ]
        widgets = {
            **_dates("valid_from", "valid_to"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {
            **_date_fields("valid_from", "valid_to"),
            "activity_type": ActivityChoiceField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = ActivityType.objects.filter(
            parent__isnull=False
        ).order_by("code")


class RulesOnDayForm(forms.Form):
    """The caps page's day: which rules hold on it (today when none is given)."""

    ngay = DateFormField(
        label="Định mức áp dụng vào ngày",
        required=False,
        widget=DateInput(),
        error_messages={
            "invalid": "Ngày không hợp lệ: hãy ghi theo dạng dd/mm/yyyy, ví dụ 01/06/2025."
        },
    )


def beneficiary_candidates(scheme, user):
    """The facilities a scheme may take on: in the user's scope and the scheme's area, not in
    it yet; by name."""
    return (
        Facility.objects.visible_to(user)
        .filter(in_unit_q(scheme.unit, "unit"))
        .exclude(scheme_links__scheme=scheme)
        .select_related("unit")
        .order_by("name_key")
    )


class FacilityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, facility):
        return f"{facility.name} – {facility.unit.name}"


class BeneficiaryForm(SentOncePlainForm):
    saves = SchemeBeneficiary
    facility = FacilityChoiceField(label="Cơ sở", queryset=Facility.objects.none())
    support_amount = MoneyFormField(label="Kinh phí hỗ trợ (đ)")
    counterpart = MoneyFormField(label="Đối ứng (đ)", required=False)
    declared = forms.BooleanField(
        label="Cơ sở đã cam kết không nhận hỗ trợ trùng từ nguồn ngân sách khác", required=False
    )

    def __init__(self, *args, scheme, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = beneficiary_candidates(scheme, user)
        self.fields["facility"].empty_label = "— Chọn cơ sở —"
        # At a province's scale the list is long: a search box narrows it (server side).
        self.fields["facility"].widget = SearchableSelect(
            search_url=reverse("schemes:beneficiary_options", args=[scheme.pk]),
            placeholder="Tìm cơ sở theo tên, chủ cơ sở, mã số thuế…",
        )
        self.fields["facility"].widget.choices = self.fields["facility"].choices


class BeneficiaryAmountsForm(forms.Form):
    support_amount = MoneyFormField(label="Kinh phí hỗ trợ (đ)")
    counterpart = MoneyFormField(label="Đối ứng (đ)", required=False)
    declared = forms.BooleanField(label="Đã cam kết không nhận hỗ trợ trùng", required=False)
    # As on ConcurrentEditForm: the row as the page showed it, checked under the row's lock.
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class ContractForm(SentOnceForm):
    class Meta:
        model = Contract
        fields = ["beneficiary", "party_name", "number", "signed_on", "end_date", "value"]
        widgets = _dates("signed_on", "end_date")
        field_classes = _date_fields("signed_on", "end_date")
        help_texts = {"beneficiary": "Bỏ trống nếu hợp đồng với nhà cung cấp."}

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = scheme.beneficiaries.filter(
            contracts__isnull=True
        ).select_related("facility")
        self.fields["beneficiary"].empty_label = "— Nhà cung cấp (không phải cơ sở) —"
        self.fields["party_name"].required = False

    def clean(self):
        cleaned = super().clean()
        beneficiary = cleaned.get("beneficiary")
        if beneficiary and not cleaned.get("party_name"):
            cleaned["party_name"] = beneficiary.facility.name
        if not cleaned.get("party_name"):
            self.add_error("party_name", "Cần ghi bên nhận hợp đồng.")
        return cleaned


class DisbursementForm(SentOnceForm):
    class Meta:
        model = Disbursement
        fields = ["contract", "kind", "paid_on", "amount", "document_number", "note"]
        widgets = {**_dates("paid_on"), "note": forms.Textarea(attrs={"rows": 2})}
        field_classes = _date_fields("paid_on")

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = scheme.contracts.all()
        self.fields["contract"].empty_label = "— Chọn hợp đồng —"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input, each checked by content as JPEG or PNG."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        for file in files:
            check_upload(file, allowed=PHOTO_TYPES)
        return files


class InspectionForm(SentOnceForm):
    photos = MultiplePhotoField(label="Ảnh hiện trường", required=False)

    class Meta:
        model = Inspection
        fields = [
            "inspected_on",
            "inspectors",
            "progress_percent",
            "findings",
            "problems",
            "next_step",
        ]
        widgets = {
            **_dates("inspected_on"),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = _date_fields("inspected_on")


class AcceptanceForm(SentOnceForm):
    minutes = forms.FileField(
        label="Biên bản nghiệm thu đã ký",
        required=True,
        help_text="PDF, ảnh hoặc Word, quét từ bản có chữ ký.",
    )

    class Meta:
        model = Acceptance
        fields = ["held_on", "committee", "result", "accepted_amount", "minutes", "note"]
        widgets = {
            **_dates("held_on"),
            "committee": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = _date_fields("held_on")

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        check_upload(minutes)
        return minutes


class AcceptanceWaiverForm(forms.Form):
    """An officer's reason to request acceptance although some gate is unmet."""

    reason = ReasonField(
        label="Lý do đề nghị nghiệm thu khi chưa đủ điều kiện",
        missing="Cần nêu lý do đề nghị nghiệm thu khi chưa đủ điều kiện.",
        help_text="Ví dụ: vướng mắc đã được khắc phục, có biên bản xác nhận của xã ngày …",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 50}),
    )


class SchemeDocumentForm(SentOncePlainForm):
    saves = SchemeDocument
    kind = forms.ModelChoiceField(
        label="Loại tài liệu", queryset=DocumentKind.objects.none(), required=False
    )
    title = forms.CharField(label="Tên tài liệu", max_length=255, required=False)
    file = forms.FileField(label="Tệp")

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = DocumentKind.objects.filter(
            pk__in=[k.pk for k in kinds]
        ).order_by("order")
        self.fields["kind"].empty_label = "— Tài liệu khác —"


class WeightsForm(forms.Form):
    """The province's weight of each priority criterion, 0 to 10."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = PriorityWeight.current()
        for flag in SupportRequest.PRIORITY_FLAGS:
            self.fields[flag] = forms.IntegerField(
                label=SupportRequest._meta.get_field(flag).verbose_name.capitalize(),
                min_value=0,
                max_value=10,
                initial=current[flag],
                widget=forms.NumberInput(attrs={"class": "narrow"}),
            )
