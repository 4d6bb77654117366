"""The form a manager fills to ask for a quarterly report."""

from django import forms

from khuyencong.dates import (
    FIRST_YEAR,
    LAST_YEAR,
    Quarter,
    last_ended_quarter,
    quarter_not_begun_message,
    today,
)
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
        last = last_ended_quarter(today())
        self.fields["year"].initial, self.fields["quarter"].initial = last.year, last.quarter
        self.fields["quarter"].help_text = (
            "Quý đang diễn ra được báo cáo với số liệu đến hôm nay; quý chưa bắt đầu thì chưa "
            "lập được báo cáo."
        )

    def clean(self):
        data = super().clean()
        year, quarter = data.get("year"), data.get("quarter")
        if year and quarter:
            refused = quarter_not_begun_message(Quarter(year, quarter), today())
            if refused:
                raise forms.ValidationError(refused)
        data["unit"] = data.get("unit") or self.province
        return data
