"""Facilities, requests and the dossier's reference lists in the Django admin."""

from django.contrib import admin, messages

from khuyencong.admin import AdministrativeUnitAdmin, HistoryAdmin, ReadOnlyAdmin

from .models import DocumentKind, Facility, PriorityWeight, Sector, SupportRequest
from .services import facilities_move_to_successors

# How many undecided facilities a message names; the command lists them all.
NAMED_AT_MOST = 20


@admin.action(description="Chuyển cơ sở sang đơn vị kế thừa", permissions=["change"])
def move_facilities_to_successors(modeladmin, request, queryset):
    """On the units chosen (and those below them): their facilities go to the successors."""
    moves = facilities_move_to_successors(user=request.user, units=list(queryset))
    modeladmin.message_user(
        request, f"Đã chuyển {len(moves.moved)} cơ sở sang đơn vị kế thừa.", messages.SUCCESS
    )
    if moves.undecided:
        named = "; ".join(
            f"{facility.name} (id {facility.pk}): {why}"
            for facility, why in moves.undecided[:NAMED_AT_MOST]
        )
        more = len(moves.undecided) - NAMED_AT_MOST
        rest = f" và {more} cơ sở khác" if more > 0 else ""
        modeladmin.message_user(
            request,
            f"Chưa chuyển {len(moves.undecided)} cơ sở — {named}{rest}. Hãy chỉ rõ bằng lệnh "
            "move_facilities_to_successors --mapping.",
            messages.WARNING,
        )


# The core app does not know facilities: the action on its units is added from here.
AdministrativeUnitAdmin.actions = [*AdministrativeUnitAdmin.actions, move_facilities_to_successors]


@admin.register(Sector)
class SectorAdmin(HistoryAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["name"]


@admin.register(Facility)
class FacilityAdmin(HistoryAdmin):
    list_display = ["name", "kind", "sector", "unit", "owner_name", "tax_code", "workers"]
    list_filter = ["kind", "sector"]
    list_select_related = ["sector", "unit"]
    search_fields = ["name", "owner_name", "tax_code", "search_text"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["created_by", "created_at", "updated_at"]


@admin.register(SupportRequest)
class SupportRequestAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Only to see: a request's amounts change only while it is a draft, and its status only
    through the life-cycle steps (beneficiaries/services.py)."""

    portal_note = (
        "Chỉ xem: đăng ký nhu cầu được nhập, sửa trên trang Đăng ký nhu cầu của cổng khi còn là "
        "bản nháp; trạng thái chỉ đổi qua các bước của đăng ký (gửi, xét duyệt, đưa vào kế "
        "hoạch, không chọn, rút)."
    )
    list_display = ["facility", "year", "activity_type", "support_requested", "status"]
    list_filter = ["year", "status", "activity_type"]
    list_select_related = ["facility", "activity_type"]
    search_fields = ["facility__name", "content"]


@admin.register(DocumentKind)
class DocumentKindAdmin(HistoryAdmin):
    """The dossier checklist: which documents each activity type requires."""

    list_display = ["code", "name", "applies_to", "for_every_request", "order", "is_active"]
    list_filter = ["applies_to", "for_every_request", "is_active"]
    filter_horizontal = ["activity_types"]
    search_fields = ["name"]


@admin.register(PriorityWeight)
class PriorityWeightAdmin(HistoryAdmin):
    """The province's weights of the priority criteria (also set on the plan builder)."""

    list_display = ["flag", "weight"]
    list_editable = ["weight"]
