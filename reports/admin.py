"""Generated reports in the Django admin: records, so read-only; and who signs them."""

from django.contrib import admin

from khuyencong.admin import HistoryAdmin, ReadOnlyAdmin

from .models import QuarterlyReport, ReportSigner


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(ReadOnlyAdmin, HistoryAdmin):
    portal_note = (
        "Chỉ xem: báo cáo được lập, tạo lại trên trang Báo cáo của cổng; mỗi lần tạo là một "
        "phiên bản mới, bản đã lập được giữ nguyên."
    )
    list_display = ["year", "quarter", "unit", "version", "status", "requested_by", "requested_at"]
    list_filter = ["status", "year", "quarter"]
    list_select_related = ["unit", "requested_by"]


@admin.register(ReportSigner)
class ReportSignerAdmin(HistoryAdmin):
    list_display = ["unit", "authority", "title", "name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "authority", "title", "name", "recipients"]
