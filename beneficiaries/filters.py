"""Filters of the facility list (django-filter); they live in the URL, so a link can be shared."""

import django_filters

from khuyencong.filters import TextSearchFilter
from khuyencong.models import AdministrativeUnit

from .models import Facility, Sector


class FacilityFilter(django_filters.FilterSet):
    q = TextSearchFilter(placeholder="Tên, chủ cơ sở, mã số thuế, địa chỉ")
    unit = django_filters.ModelChoiceFilter(
        label="Địa bàn",
        queryset=AdministrativeUnit.objects.none(),
        method="in_unit",
        empty_label="Tất cả",
    )
    kind = django_filters.ChoiceFilter(
        label="Loại hình", choices=Facility.Kind.choices, empty_label="Tất cả"
    )
    sector = django_filters.ModelChoiceFilter(
        label="Ngành nghề", queryset=Sector.objects.all(), empty_label="Tất cả"
    )

    class Meta:
        model = Facility
        fields = ["q", "unit", "kind", "sector"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = AdministrativeUnit.objects.exclude(level="commune")
        if not user.sees_everything:
            units = units.filter(path__startswith=user.unit.path)
        self.filters["unit"].queryset = units

    def in_unit(self, queryset, name, value):
        return queryset.in_unit(value) if value else queryset
