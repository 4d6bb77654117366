"""Plans, schemes and their records in the Django admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Acceptance,
    Contract,
    Disbursement,
    Inspection,
    Plan,
    RuleException,
    Scheme,
    SchemeBeneficiary,
    SchemeItem,
    SupportRule,
)


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "funding_source", "decision_number", "budget", "status"]
    list_filter = ["year", "funding_source", "status"]
    autocomplete_fields = ["unit"]


class SchemeItemInline(admin.TabularInline):
    model = SchemeItem
    extra = 0


class SchemeBeneficiaryInline(admin.TabularInline):
    model = SchemeBeneficiary
    extra = 0
    autocomplete_fields = ["facility"]
    raw_id_fields = ["request"]


@admin.register(Scheme)
class SchemeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "kind", "plan", "unit", "budget", "status", "end_date"]
    list_filter = ["plan__year", "plan__funding_source", "kind", "status"]
    list_select_related = ["plan", "unit"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["status"]
    inlines = [SchemeItemInline, SchemeBeneficiaryInline]


@admin.register(SchemeItem)
class SchemeItemAdmin(SimpleHistoryAdmin):
    list_display = ["scheme", "description", "activity_type", "support_amount"]
    list_select_related = ["scheme", "activity_type"]
    autocomplete_fields = ["scheme"]


@admin.register(SchemeBeneficiary)
class SchemeBeneficiaryAdmin(SimpleHistoryAdmin):
    list_display = ["scheme", "facility", "support_amount", "counterpart_amount"]
    list_select_related = ["scheme", "facility"]
    search_fields = ["facility__name", "scheme__code"]
    autocomplete_fields = ["scheme", "facility"]
    raw_id_fields = ["request"]


class DisbursementInline(admin.TabularInline):
    model = Disbursement
    extra = 0


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["number", "party_name", "scheme", "signed_on", "value", "closed_on"]
    list_select_related = ["scheme"]
    search_fields = ["number", "party_name", "scheme__code"]
    autocomplete_fields = ["scheme", "beneficiary"]
    inlines = [DisbursementInline]


@admin.register(Disbursement)
class DisbursementAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "kind", "paid_on", "amount"]
    list_filter = ["kind"]
    list_select_related = ["contract"]
    autocomplete_fields = ["contract"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["scheme", "inspected_on", "progress_percent", "problems"]
    list_select_related = ["scheme"]
    autocomplete_fields = ["scheme"]


@admin.register(Acceptance)
class AcceptanceAdmin(SimpleHistoryAdmin):
    list_display = ["scheme", "held_on", "result", "accepted_amount"]
    list_filter = ["result"]
    list_select_related = ["scheme"]
    autocomplete_fields = ["scheme"]


@admin.register(SupportRule)
class SupportRuleAdmin(SimpleHistoryAdmin):
    list_display = ["activity_type", "funding_source", "per", "percent", "cap_amount", "valid_from"]
    list_filter = ["funding_source", "per"]


@admin.register(RuleException)
class RuleExceptionAdmin(SimpleHistoryAdmin):
    list_display = ["item", "allowed_amount", "granted_amount", "recorded_by", "created_at"]
    raw_id_fields = ["item"]
