"""Plans, schemes and their records in the Django admin: to see and search, never to write.
They are written only through schemes/services.py (the portal's pages), which checks the
support caps, the money limits, the status windows and the declaration."""

from django.contrib import admin

from khuyencong.admin import HistoryAdmin, ReadOnlyAdmin, ReadOnlyMixin

from .models import (
    Acceptance,
    AcceptanceWaiver,
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

PORTAL_NOTE = (
    "Chỉ xem: ghi và sửa trên các trang Kế hoạch, Đề án của cổng, nơi kiểm tra định mức hỗ "
    "trợ, giới hạn kinh phí (tạm ứng, thanh toán tối đa 70 % trước nghiệm thu) và trạng thái "
    "của đề án."
)


class SchemeRecordAdmin(ReadOnlyAdmin, HistoryAdmin):
    portal_note = PORTAL_NOTE


@admin.register(Plan)
class PlanAdmin(SchemeRecordAdmin):
    list_display = ["title", "year", "funding_source", "decision_number", "budget", "status"]
    list_filter = ["year", "funding_source", "status"]
    search_fields = ["title", "decision_number"]


class SchemeItemInline(ReadOnlyMixin, admin.TabularInline):
    model = SchemeItem


class SchemeBeneficiaryInline(ReadOnlyMixin, admin.TabularInline):
    model = SchemeBeneficiary


@admin.register(Scheme)
class SchemeAdmin(SchemeRecordAdmin):
    list_display = ["code", "title", "kind", "plan", "unit", "budget", "status", "end_date"]
    list_filter = ["plan__year", "plan__funding_source", "kind", "status"]
    list_select_related = ["plan", "unit"]
    search_fields = ["code", "title"]
    inlines = [SchemeItemInline, SchemeBeneficiaryInline]


@admin.register(SchemeItem)
class SchemeItemAdmin(SchemeRecordAdmin):
    list_display = ["scheme", "description", "activity_type", "support_amount"]
    list_select_related = ["scheme", "activity_type"]
    search_fields = ["description", "scheme__code"]


@admin.register(SchemeBeneficiary)
class SchemeBeneficiaryAdmin(SchemeRecordAdmin):
    list_display = ["scheme", "facility", "support_amount", "counterpart_amount"]
    list_select_related = ["scheme", "facility"]
    search_fields = ["facility__name", "scheme__code"]


class DisbursementInline(ReadOnlyMixin, admin.TabularInline):
    model = Disbursement


@admin.register(Contract)
class ContractAdmin(SchemeRecordAdmin):
    list_display = ["number", "party_name", "scheme", "signed_on", "value", "closed_on"]
    list_select_related = ["scheme"]
    search_fields = ["number", "party_name", "scheme__code"]
    inlines = [DisbursementInline]


@admin.register(Disbursement)
class DisbursementAdmin(SchemeRecordAdmin):
    list_display = ["contract", "kind", "paid_on", "amount"]
    list_filter = ["kind"]
    list_select_related = ["contract"]
    search_fields = ["contract__number", "document_number"]


@admin.register(Inspection)
class InspectionAdmin(SchemeRecordAdmin):
    list_display = ["scheme", "inspected_on", "progress_percent", "problems"]
    list_select_related = ["scheme"]
    search_fields = ["scheme__code", "problems"]


@admin.register(Acceptance)
class AcceptanceAdmin(SchemeRecordAdmin):
    list_display = ["scheme", "held_on", "result", "accepted_amount"]
    list_filter = ["result"]
    list_select_related = ["scheme"]
    search_fields = ["scheme__code"]


@admin.register(SupportRule)
class SupportRuleAdmin(SchemeRecordAdmin):
    # Kept on the portal's own page, with its checks, by the officers given the permission.
    portal_note = (
        "Chỉ xem: định mức hỗ trợ được thêm, sửa trên trang Định mức hỗ trợ của cổng, bởi cán "
        "bộ được phân quyền; định mức thay đổi thì thêm dòng mới với ngày hiệu lực của nó."
    )
    list_display = ["activity_type", "funding_source", "per", "percent", "cap_amount", "valid_from"]
    list_filter = ["funding_source", "per"]


@admin.register(RuleException)
class RuleExceptionAdmin(SchemeRecordAdmin):
    list_display = ["item", "allowed_amount", "granted_amount", "recorded_by", "created_at"]
    list_select_related = ["item", "recorded_by"]


@admin.register(AcceptanceWaiver)
class AcceptanceWaiverAdmin(SchemeRecordAdmin):
    list_display = ["scheme", "gates", "reason", "recorded_by", "created_at"]
    list_select_related = ["scheme", "recorded_by"]
