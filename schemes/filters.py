"""Filters of the scheme list (django-filter), kept in the URL."""

import django_filters
from django import forms
from django.db.models import Q

from beneficiaries.filters import ScopedFilterSet
from khuyencong.dates import FIRST_YEAR, LAST_YEAR
from khuyencong.filters import InlineSelect, TextSearchFilter
from khuyencong.models import FundingSource
from khuyencong.text import search_key

from .models import RISKS, Contract, Disbursement, Scheme

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


def _payment_filters(prefix):
    """The filters shared by the contract and payment lists; `prefix` leads from a row to its
    contract ('' for a contract itself)."""
    year = django_filters.NumberFilter(
        label="Năm kế hoạch",
        field_name=f"{prefix}scheme__plan__year",
        widget=forms.NumberInput(
            attrs={"placeholder": "VD: 2022", "min": FIRST_YEAR, "max": LAST_YEAR}
        ),
    )
    funding_source = django_filters.ModelChoiceFilter(
        label="Nguồn kinh phí",
        field_name=f"{prefix}scheme__plan__funding_source",
        queryset=FundingSource.objects.all(),
        empty_label="Tất cả",
        widget=InlineSelect,
    )
    return year, funding_source


def _contract_search(queryset, prefix, value):
    """Rows whose contract number, party, facility or scheme (code, title) hold every word."""
    for word in search_key(value).split():
        queryset = queryset.filter(
            Q(**{f"{prefix}number__icontains": word})
            | Q(**{f"{prefix}party_name__icontains": word})
            | Q(**{f"{prefix}beneficiary__facility__search_text__contains": word})
            | Q(**{f"{prefix}scheme__search_text__contains": word})
        )
    return queryset


class ContractFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label="Tìm kiếm",
        method="search",
        widget=forms.TextInput(attrs={"placeholder": "Số hợp đồng, bên nhận, đề án"}),
    )
    year, funding_source = _payment_filters("")

    class Meta:
        model = Contract
        fields = ["q", "year", "funding_source", "unit"]

    def search(self, queryset, name, value):
        return _contract_search(queryset, "", value)


class DisbursementFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label="Tìm kiếm",
        method="search",
        widget=forms.TextInput(attrs={"placeholder": "Số hợp đồng, chứng từ, bên nhận, đề án"}),
    )
    year, funding_source = _payment_filters("contract__")
    kind = django_filters.ChoiceFilter(
        label="Loại", choices=Disbursement.Kind.choices, empty_label="Tất cả", widget=InlineSelect
    )

    class Meta:
        model = Disbursement
        fields = ["q", "year", "funding_source", "kind", "unit"]

    def search(self, queryset, name, value):
        by_document = queryset
        for word in search_key(value).split():
            by_document = by_document.filter(document_number__icontains=word)
        return _contract_search(queryset, "contract__", value) | by_document
