"""The dashboard and the quarterly report pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from khuyencong.models import AdministrativeUnit
from khuyencong.roles import can_use_reports
from khuyencong.scope import get_visible_or_404
from schemes.models import Plan

from . import services
from .figures import progress_figures
from .forms import ReportRequestForm
from .models import QuarterlyReport


def _home_unit(user):
    """The unit a user's dashboard and reports cover: his own, or the portal's province for
    administrators, who belong to no unit."""
    return user.unit if user.unit_id else AdministrativeUnit.objects.portal_province()


def dashboard(request):
    unit = _home_unit(request.user)
    plans = Plan.objects.visible_to(request.user)
    years = sorted(set(plans.values_list("year", flat=True)), reverse=True)
    # By default the latest year being carried out, not next year's plan still in draft.
    approved = plans.filter(status=Plan.Status.APPROVED).order_by("-year").first()
    default = approved.year if approved else years[0] if years else timezone.localdate().year
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        year = default
    figures = progress_figures(unit=unit, year=year) if unit else None
    return render(
        request, "reports/dashboard.html", {"figures": figures, "year": year, "years": years}
    )


def _require_reports(user):
    if not can_use_reports(user):
        raise PermissionDenied("Chỉ lãnh đạo và cán bộ cấp tỉnh được dùng báo cáo quý.")


def report_list(request, form=None):
    _require_reports(request.user)
    province = _home_unit(request.user)
    form = form or ReportRequestForm(user=request.user, province=province)
    reports = QuarterlyReport.objects.visible_to(request.user).select_related(
        "unit", "requested_by"
    )[:50]
    return render(request, "reports/report_list.html", {"form": form, "reports": reports})


@require_POST
def report_request(request):
    _require_reports(request.user)
    form = ReportRequestForm(request.POST, user=request.user, province=_home_unit(request.user))
    if not form.is_valid():
        return report_list(request, form=form)
    data = form.cleaned_data
    report = services.report_request(
        user=request.user, year=data["year"], quarter=data["quarter"], unit=data["unit"]
    )
    messages.success(
        request,
        f"Đã nhận yêu cầu báo cáo quý {report.quarter}/{report.year}. "
        "Báo cáo sẽ sẵn sàng để tải trong ít phút; trang này tự cập nhật.",
    )
    return redirect("reports:report_list")


def report_status(request, pk):
    """The report's row, polled by htmx while the report is being made."""
    _require_reports(request.user)
    report = get_visible_or_404(
        QuarterlyReport.objects.select_related("unit", "requested_by"), request.user, pk=pk
    )
    return render(request, "reports/_report_row.html", {"report": report})


@require_POST
def report_retry(request, pk):
    _require_reports(request.user)
    report = get_visible_or_404(QuarterlyReport, request.user, pk=pk)
    if services.report_retry(report_id=report.pk, user=request.user):
        messages.success(request, "Đã gửi lại yêu cầu tạo báo cáo.")
    return redirect("reports:report_list")


def report_download(request, pk):
    """The stored PDF, always the same bytes, only to those whose scope holds the report."""
    _require_reports(request.user)
    report = get_visible_or_404(QuarterlyReport, request.user, pk=pk)
    if report.status != QuarterlyReport.Status.DONE or not report.pdf:
        raise Http404("Báo cáo chưa sẵn sàng.")
    filename = (
        f"bao-cao-quy-{report.quarter}-{report.year}-{report.unit.code}-lan-{report.version}.pdf"
    )
    return FileResponse(report.pdf.open("rb"), as_attachment=True, filename=filename)
