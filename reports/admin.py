"""Generated reports in the Django admin: records, so read-only."""

from django.contrib import admin

from khuyencong.admin import HistoryAdmin, ReadOnlyAdmin

from .models import QuarterlyReport


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(ReadOnlyAdmin, HistoryAdmin):
    portal_note = (
        "Chỉ xem: báo cáo được lập, tạo lại trên trang Báo cáo của cổng; mỗi lần tạo là một "
        "phiên bản mới, bản đã lập được giữ nguyên."
    )
    list_display = ["year", "quarter", "unit", "version", "status", "requested_by", "requested_at"]
    list_filter = ["status", "year", "quarter"]
    list_select_related = ["unit", "requested_by"]
