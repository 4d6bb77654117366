"""Generated reports in the Django admin: records, so read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import QuarterlyReport


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(SimpleHistoryAdmin):
    list_display = ["year", "quarter", "unit", "version", "status", "requested_by", "requested_at"]
    list_filter = ["status", "year", "quarter"]
    list_select_related = ["unit", "requested_by"]
    readonly_fields = [f.name for f in QuarterlyReport._meta.fields]

    def has_add_permission(self, request):
        return False
