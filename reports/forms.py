"""The form a manager fills to ask for a quarterly report."""

from django import forms
from django.utils import timezone

from khuyencong.models import AdministrativeUnit


class ReportRequestForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="Quý", coerce=int, choices=[(q, f"Quý {q}") for q in range(1, 5)]
    )
    unit = forms.ModelChoiceField(
        label="Phạm vi",
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label="Toàn tỉnh",
    )

    def __init__(self, *args, user, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province
        self.fields["unit"].queryset = AdministrativeUnit.objects.filter(parent=province).order_by(
            "code"
        )
        # The last quarter that has ended is the one people usually report on.
        today = timezone.localdate()
        last = (today.year * 4 + (today.month - 1) // 3) - 1
        self.fields["year"].initial, self.fields["quarter"].initial = divmod(last, 4)
        self.fields["quarter"].initial += 1

    def clean(self):
        data = super().clean()
        year, quarter = data.get("year"), data.get("quarter")
        today = timezone.localdate()
        if year and quarter and (year, quarter) > (today.year, (today.month - 1) // 3 + 1):
            raise forms.ValidationError("Không thể lập báo cáo cho một quý chưa bắt đầu.")
        data["unit"] = data.get("unit") or self.province
        return data
