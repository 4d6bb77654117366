"""The dashboard and the quarterly report pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from beneficiaries.services import waiting_for_review
from khuyencong.dates import format_datetime_vn, is_plausible_year
from khuyencong.responses import stored_file
from khuyencong.roles import can_use_reports
from khuyencong.scope import get_visible_or_404, home_unit
from schemes.models import Plan

from . import services
from .charts import figure_charts, history_chart
from .figures import history_figures, progress_figures
from .forms import ReportRequestForm
from .models import QuarterlyReport

DASHBOARD_RISKS = 10  # the rest are one click away, on the scheme list filtered by risk


def dashboard(request):
    """The year's figures and charts of the user's scope, what is late or at risk, and what
    waits for review: the same figures as the quarterly report."""
    unit = home_unit(request.user)
    if unit is None:
        return render(request, "reports/dashboard.html", {"figures": None})
    plans = Plan.objects.visible_to(request.user)
    years = sorted(set(plans.values_list("year", flat=True)), reverse=True)
    # By default the latest year being carried out, not next year's plan still in draft.
    approved = plans.filter(status=Plan.Status.APPROVED).order_by("-year").first()
    default = approved.year if approved else years[0] if years else timezone.localdate().year
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        year = default
    if not is_plausible_year(year):  # a forged ?year= gets the default, not a 500
        year = default
    figures = progress_figures(unit=unit, year=year)
    history = history_figures(unit=unit)
    context = {
        "history": history,
        "history_chart": history_chart(history),
        "figures": figures,
        "charts": figure_charts(figures),
        "year": year,
        "years": years,
        "risks_shown": figures.at_risk[:DASHBOARD_RISKS],
        "waiting": waiting_for_review(request.user),
        "review_url": reverse(
            "beneficiaries:request_review_queue"
            if request.user.is_provincial
            else "beneficiaries:request_list"
        ),
    }
    return render(request, "reports/dashboard.html", context)


def _require_reports(user):
    if not can_use_reports(user):
        raise PermissionDenied("Chỉ lãnh đạo và cán bộ cấp tỉnh được dùng báo cáo quý.")


def report_list(request, form=None):
    _require_reports(request.user)
    province = home_unit(request.user)
    form = form or ReportRequestForm(user=request.user, province=province)
    reports = QuarterlyReport.objects.visible_to(request.user).select_related(
        "unit", "requested_by"
    )[:50]
    shown = request.GET.get("report", "")  # the row a request or a retry has just led to
    context = {"form": form, "reports": reports, "shown": int(shown) if shown.isdigit() else None}
    return render(request, "reports/report_list.html", context)


def _to_report(report):
    """The reports page with the report's row marked and scrolled to."""
    return redirect(f"{reverse('reports:report_list')}?report={report.pk}#report-{report.pk}")


def _already_being_made(request, report):
    messages.info(
        request,
        f"Báo cáo quý {report.quarter}/{report.year} của {report.unit.name} đang được tạo "
        f"(lần {report.version}, yêu cầu lúc "
        f"{format_datetime_vn(report.requested_at)}); không tạo thêm báo cáo "
        "thứ hai. Báo cáo đó được đánh dấu trong danh sách dưới đây.",
    )


@require_POST
def report_request(request):
    _require_reports(request.user)
    form = ReportRequestForm(request.POST, user=request.user, province=home_unit(request.user))
    if not form.is_valid():
        return report_list(request, form=form)
    data = form.cleaned_data
    report, new = services.report_request(
        user=request.user, year=data["year"], quarter=data["quarter"], unit=data["unit"]
    )
    if not new:
        _already_being_made(request, report)
        return _to_report(report)
    messages.success(
        request,
        f"Đã nhận yêu cầu báo cáo quý {report.quarter}/{report.year}. "
        "Báo cáo sẽ sẵn sàng để tải trong ít phút; trang này tự cập nhật.",
    )
    return _to_report(report)


def report_status(request, pk):
    """The report's row, polled by htmx while the report is being made."""
    _require_reports(request.user)
    report = get_visible_or_404(
        QuarterlyReport.objects.select_related("unit", "requested_by"), request.user, pk=pk
    )
    shown = report.pk if request.GET.get("shown") else None  # the mark survives the polling
    return render(request, "reports/_report_row.html", {"report": report, "shown": shown})


@require_POST
def report_retry(request, pk):
    _require_reports(request.user)
    report = get_visible_or_404(QuarterlyReport, request.user, pk=pk)
    being_made = services.report_retry(report_id=report.pk, user=request.user)
    if being_made is None:
        return redirect("reports:report_list")
    if being_made.pk == report.pk:
        messages.success(request, "Đã gửi lại yêu cầu tạo báo cáo.")
    else:
        _already_being_made(request, being_made)
    return _to_report(being_made)


def report_download(request, pk, kind="pdf"):
    """A stored file of the report, always the same bytes, only to those whose scope holds it."""
    _require_reports(request.user)
    report = get_visible_or_404(QuarterlyReport.objects.select_related("unit"), request.user, pk=pk)
    file = report.xlsx if kind == "xlsx" else report.pdf
    if report.status != QuarterlyReport.Status.DONE or not file:
        raise Http404("Báo cáo chưa sẵn sàng.")
    return stored_file(file, report.file_stem())
