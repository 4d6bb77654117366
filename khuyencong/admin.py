"""Administration of staff, units and reference lists, in Vietnamese."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessEvent, ActivityType, AdministrativeUnit, FundingSource, User

admin.site.site_header = "Quản trị cổng khuyến công"
admin.site.site_title = "Quản trị khuyến công"
admin.site.index_title = "Dữ liệu hệ thống"


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
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


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["level", "is_highland", "is_border", "is_ethnic_minority", "is_poor"]
    list_select_related = ["parent", "successor"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "successor"]


@admin.register(FundingSource)
class FundingSourceAdmin(SimpleHistoryAdmin):
    list_display = ["code", "short_name", "name", "is_active"]


@admin.register(ActivityType)
class ActivityTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "parent", "is_active"]
    list_filter = ["parent", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """The access log, to read and search; nobody edits or deletes a line of it here."""

    list_display = ["at", "kind", "username", "ip", "path", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "ip", "path", "detail"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
