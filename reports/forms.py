"""The form a manager fills to ask for a quarterly report."""

from django import forms
from django.utils import timezone

from khuyencong.dates import FIRST_YEAR, LAST_YEAR, Quarter, last_ended_quarter
from khuyencong.fields import UnitChoiceField
from khuyencong.models import AdministrativeUnit


class ReportRequestForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    quarter = forms.TypedChoiceField(
        label="Quý", coerce=int, choices=[(q, f"Quý {q}") for q in range(1, 5)]
    )
    unit = UnitChoiceField(
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
        last = last_ended_quarter(timezone.localdate())
        self.fields["year"].initial, self.fields["quarter"].initial = last.year, last.quarter

    def clean(self):
        data = super().clean()
        year, quarter = data.get("year"), data.get("quarter")
        if year and quarter and Quarter(year, quarter) > Quarter.of(timezone.localdate()):
            raise forms.ValidationError("Không thể lập báo cáo cho một quý chưa bắt đầu.")
        data["unit"] = data.get("unit") or self.province
        return data
