"""Administration of staff, units and reference lists, in Vietnamese; and the read-only admin
of the records that only the portal's pages write."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessEvent, ActivityType, AdministrativeUnit, FundingSource, User
from .staff import users_move_to_successors

admin.site.site_header = "Quản trị cổng khuyến công"
admin.site.site_title = "Quản trị khuyến công"
admin.site.index_title = "Dữ liệu hệ thống"


class HistoryAdmin(SimpleHistoryAdmin):
    """The change history of a record. django-simple-history (3.13) saves a past version posted
    to its page for whoever may see the record: here only for whoever may change it."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_permission(
            request, self.get_object(request, object_id)
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyMixin:
    """For a model admin or an inline whose records nobody adds, changes or deletes here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin):
    """For records that only the portal's pages write: their services check the money rules
    and the life cycles, and the admin must be no way around them. Seen and searched here,
    with `portal_note` saying where they are changed."""

    portal_note = "Chỉ xem: dữ liệu này được lập và sửa trên các trang của cổng khuyến công."
    change_list_template = "admin/read_only_change_list.html"

    def get_fieldsets(self, request, obj=None):
        (name, options), *rest = super().get_fieldsets(request, obj)
        return [(name, {**options, "description": self.portal_note}), *rest]


@admin.register(User)
class UserAdmin(BaseUserAdmin, HistoryAdmin):
    list_display = ["username", "last_name", "first_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Phạm vi công tác", {"fields": ("role", "unit", "job_title", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Phạm vi công tác", {"fields": ("role", "unit")}),
    )
    actions = ["move_to_successor"]

    @admin.action(description="Chuyển sang đơn vị kế thừa", permissions=["change"])
    def move_to_successor(self, request, queryset):
        moved, undecided = users_move_to_successors(users=queryset, by=request.user)
        self.message_user(
            request,
            f"Đã chuyển {len(moved)} người dùng sang đơn vị kế thừa.",
            messages.SUCCESS,
        )
        if undecided:
            names = ", ".join(f"{u.username} ({u.unit.dated_label()})" for u in undecided)
            self.message_user(
                request,
                f"Chưa chuyển (đơn vị đã kết thúc mà không có đơn vị kế thừa): {names}.",
                messages.WARNING,
            )


# Unit fields of the admin that take today's units only: facilities and staff are today's.
TODAYS_UNIT_FIELDS = {("beneficiaries", "facility", "unit"), ("khuyencong", "user", "unit")}


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(HistoryAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["level", "is_highland", "is_border", "is_ethnic_minority", "is_poor"]
    list_select_related = ["parent", "successor"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "successor"]

    def get_search_results(self, request, queryset, search_term):
        """The units the autocomplete of another admin's field offers: for a facility's or a
        user's unit, those that exist today."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        field = tuple(request.GET.get(key) for key in ("app_label", "model_name", "field_name"))
        if field in TODAYS_UNIT_FIELDS:
            queryset = queryset.valid_on(timezone.localdate())
        return queryset, duplicates


@admin.register(FundingSource)
class FundingSourceAdmin(HistoryAdmin):
    list_display = ["code", "short_name", "name", "is_active"]


@admin.register(ActivityType)
class ActivityTypeAdmin(HistoryAdmin):
    list_display = ["code", "name", "parent", "is_active"]
    list_filter = ["parent", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The access log, to read and search; nobody edits or deletes a line of it here."""

    list_display = ["at", "kind", "username", "ip", "path", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "ip", "path", "detail"]
    date_hierarchy = "at"
    list_select_related = ["user"]
