"""Filters of the scheme list (django-filter), kept in the URL."""

import django_filters
from django import forms

from khuyencong.dates import FIRST_YEAR, LAST_YEAR
from khuyencong.filters import InlineSelect, TextSearchFilter
from khuyencong.models import FundingSource

from .models import RISKS, Scheme

ANY_RISK = "any"


class SchemeFilter(django_filters.FilterSet):
    q = TextSearchFilter(placeholder="Mã hoặc tên đề án")
    year = django_filters.NumberFilter(
        label="Năm",
        field_name="plan__year",
        widget=forms.NumberInput(
            attrs={"placeholder": "VD: 2022", "min": FIRST_YEAR, "max": LAST_YEAR}
        ),
    )
    funding_source = django_filters.ModelChoiceFilter(
        label="Nguồn kinh phí",
        field_name="plan__funding_source",
        queryset=FundingSource.objects.all(),
        empty_label="Tất cả",
        widget=InlineSelect,
    )
    status = django_filters.ChoiceFilter(
        label="Trạng thái", choices=Scheme.Status.choices, empty_label="Tất cả", widget=InlineSelect
    )
    kind = django_filters.ChoiceFilter(
        label="Loại", choices=Scheme.Kind.choices, empty_label="Tất cả", widget=InlineSelect
    )
    risk = django_filters.ChoiceFilter(
        label="Cảnh báo",
        choices=[
            (ANY_RISK, "Có cảnh báo bất kỳ"),
            *((k, label) for k, (label, _) in RISKS.items()),
        ],
        empty_label="Tất cả",
        method="filter_risk",
        widget=InlineSelect,
    )
    plan = django_filters.NumberFilter(field_name="plan", widget=forms.HiddenInput)

    class Meta:
        model = Scheme
        fields = ["q", "year", "funding_source", "status", "kind", "risk", "plan"]

    def filter_risk(self, queryset, name, value):
        """Schemes with the chosen risk, or with any."""
        return queryset.with_risks().at_risk(None if value == ANY_RISK else value)
