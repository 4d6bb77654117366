"""Filters of the facility and request lists (django-filter); they live in the URL, so a link
can be shared."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from khuyencong.filters import InlineSelect, TextSearchFilter
from khuyencong.models import ActivityType, AdministrativeUnit

from .models import Facility, Sector, SupportRequest

OPEN_STATUSES = (*SupportRequest.OPEN_TO_DISTRICT, *SupportRequest.AWAITING_DECISION)


def units_to_filter_by(user):
    """The units a list can be narrowed to, within the user's scope: the province, the
    districts of before 1 July 2025, and today's communes and wards (the communes that ended
    with the districts are found through their district, or by name in the text search)."""
    units = AdministrativeUnit.objects.visible_to(user)
    return units.exclude(level=AdministrativeUnit.Level.COMMUNE, valid_to__isnull=False)


class UnitsByLevelField(forms.ModelChoiceField):
    """The units under a heading per level (province, districts, communes), each named with
    the day it ended if it has ("Huyện Bắc Quang (đến 30/06/2025)"); one query."""

    HEADINGS = {
        AdministrativeUnit.Level.PROVINCE: "Cấp tỉnh",
        AdministrativeUnit.Level.DISTRICT: "Cấp huyện (trước 01/07/2025)",
        AdministrativeUnit.Level.COMMUNE: "Cấp xã, phường",
    }

    def _get_choices(self):
        units = list(self.queryset)
        choices = [] if self.empty_label is None else [("", self.empty_label)]
        for level, heading in self.HEADINGS.items():
            group = [(unit.pk, unit.dated_label()) for unit in units if unit.level == level]
            if group:
                choices.append((heading, group))
        return choices

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitsByLevelField


class ScopedFilterSet(django_filters.FilterSet):
    unit = UnitFilter(
        label="Địa bàn",
        queryset=AdministrativeUnit.objects.none(),
        method="in_unit",
        empty_label="Tất cả",
        widget=InlineSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units_to_filter_by(user)

    def in_unit(self, queryset, name, value):
        return queryset.in_unit(value) if value else queryset


class FacilityFilter(ScopedFilterSet):
    q = TextSearchFilter(placeholder="Tên, chủ cơ sở, mã số thuế, địa chỉ")
    kind = django_filters.ChoiceFilter(
        label="Loại hình", choices=Facility.Kind.choices, empty_label="Tất cả", widget=InlineSelect
    )
    sector = django_filters.ModelChoiceFilter(
        label="Ngành nghề", queryset=Sector.objects.all(), empty_label="Tất cả", widget=InlineSelect
    )
    open_requests = django_filters.ChoiceFilter(
        label="Đăng ký đang mở",
        choices=[("1", "Có"), ("0", "Không")],
        empty_label="Tất cả",
        method="with_open_requests",
        widget=InlineSelect,
    )
    o = django_filters.OrderingFilter(
        fields=(
            ("name_key", "name"),
            ("kind", "kind"),
            ("sector__order", "sector"),
            ("unit__name", "unit"),
            ("workers", "workers"),
            ("created_at", "created"),
        ),
    )

    class Meta:
        model = Facility
        fields = ["q", "unit", "kind", "sector", "open_requests"]

    def with_open_requests(self, queryset, name, value):
        open_ = SupportRequest.objects.filter(facility=OuterRef("pk"), status__in=OPEN_STATUSES)
        return queryset.filter(Exists(open_)) if value == "1" else queryset.exclude(Exists(open_))


class SupportRequestFilter(ScopedFilterSet):
    q = TextSearchFilter(
        placeholder="Tên cơ sở, chủ cơ sở, mã số thuế", field_name="facility__search_text"
    )
    year = django_filters.NumberFilter(label="Năm")
    activity_type = django_filters.ModelChoiceFilter(
        label="Nội dung",
        queryset=ActivityType.objects.filter(parent__isnull=False),
        empty_label="Tất cả",
        widget=InlineSelect,
    )
    status = django_filters.ChoiceFilter(
        label="Trạng thái",
        choices=SupportRequest.Status.choices,
        empty_label="Tất cả",
        widget=InlineSelect,
    )
    o = django_filters.OrderingFilter(
        fields=(
            ("year", "year"),
            ("facility__name_key", "facility"),
            ("facility__unit__name", "unit"),
            ("activity_type__code", "activity"),
            ("total_cost", "cost"),
            ("support_requested", "support"),
            ("submitted_at", "submitted"),
        ),
    )

    class Meta:
        model = SupportRequest
        fields = ["q", "year", "unit", "activity_type", "status"]

    def __init__(self, *args, queue=False, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        if queue:
            # The review queue holds what waits for the province, nothing else.
            self.filters["status"].extra["choices"] = [
                (s.value, s.label) for s in SupportRequest.AWAITING_DECISION
            ]
            # One year at a time (the view opens it on next year's), or all years, each summed
            # apart: the years that have requests waiting, and the one shown.
            self.filters["year"] = django_filters.ChoiceFilter(
                field_name="year",
                label="Năm",
                choices=[(str(year), str(year)) for year in years],
                empty_label="Tất cả các năm",
                widget=InlineSelect,
            )
