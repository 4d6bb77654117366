"""Facilities and requests in the Django admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DocumentKind, Facility, PriorityWeight, Sector, SupportRequest


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["name"]


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "sector", "unit", "owner_name", "tax_code", "workers"]
    list_filter = ["kind", "sector"]
    list_select_related = ["sector", "unit"]
    search_fields = ["name", "owner_name", "tax_code", "search_text"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["created_by", "created_at", "updated_at"]


@admin.register(SupportRequest)
class SupportRequestAdmin(SimpleHistoryAdmin):
    list_display = ["facility", "year", "activity_type", "support_requested", "status"]
    list_filter = ["year", "status", "activity_type"]
    list_select_related = ["facility", "activity_type"]
    search_fields = ["facility__name", "content"]
    autocomplete_fields = ["facility"]
    # The status changes only through the life-cycle actions, never by editing the field.
    readonly_fields = ["status", "submitted_at", "created_by", "created_at", "updated_at"]


@admin.register(DocumentKind)
class DocumentKindAdmin(SimpleHistoryAdmin):
    """The dossier checklist: which documents each activity type requires."""

    list_display = ["code", "name", "applies_to", "for_every_request", "order", "is_active"]
    list_filter = ["applies_to", "for_every_request", "is_active"]
    filter_horizontal = ["activity_types"]
    search_fields = ["name"]


@admin.register(PriorityWeight)
class PriorityWeightAdmin(SimpleHistoryAdmin):
    """The province's weights of the priority criteria (also set on the plan builder)."""

    list_display = ["flag", "weight"]
    list_editable = ["weight"]
