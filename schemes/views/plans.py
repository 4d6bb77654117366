"""Plans: list, page with the budget roll-up, create and edit, approval, the plan builder and
the draft plan's exports."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from khuyencong.history import history_rows
from khuyencong.responses import attachment, list_export, require
from khuyencong.roles import is_officer, is_provincial
from khuyencong.scope import get_visible_or_404, home_unit, parse_pk
from khuyencong.workflow import (
    allowed_transitions,
    blocked_transitions,
    next_step,
    posted_inputs,
)

from .. import planning, services
from ..exports import PLAN_COLUMNS, plan_pdf, plan_totals, plan_workbook
from ..forms import PlanForm, WeightsForm
from ..models import Plan, Scheme
from . import REFUSALS, refusal_text, report_refusal


def _plans(user):
    return (
        Plan.objects.visible_to(user)
        .select_related("funding_source")
        .with_rollup()
        .order_by("-year", "funding_source__order")
    )


def plan_list(request):
    # Not paginated: every plan is on the page, so its totals are summed from its own rows.
    plans = list(_plans(request.user))
    return render(
        request,
        "schemes/plan_list.html",
        {"plans": plans, "totals": plan_totals(plans), "can_edit": is_officer(request.user)},
    )


def plan_list_export(request):
    """The plans of the list with their roll-up amounts and sums."""
    return list_export(
        request,
        name="ke-hoach",
        title="Kế hoạch",
        columns=PLAN_COLUMNS,
        rows=_plans(request.user),
        back=reverse("plans:plan_list"),
    )


def plan_detail(request, pk):
    plan = get_visible_or_404(
        Plan.objects.select_related("funding_source", "unit").with_rollup(), request.user, pk=pk
    )
    schemes = (
        Scheme.objects.visible_to(request.user)
        .filter(plan=plan)
        .select_related("unit", "activity_type")
        .with_risks()
        .order_by("code")
    )
    context = {
        "plan": plan,
        "schemes": schemes,
        "transitions": allowed_transitions(plan, request.user),
        "blocked": blocked_transitions(plan, request.user),
        "step": next_step(plan, request.user),
        "can_edit": is_officer(request.user),
        "can_export": is_provincial(request.user),
        "history": history_rows(plan),
    }
    return render(request, "schemes/plan_detail.html", context)


def _plan_form(request, plan):
    require(is_officer(request.user), "Chỉ cán bộ Trung tâm Khuyến công lập kế hoạch.")
    if plan.pk and not plan.is_editable:
        messages.error(request, services.PLAN_READ_ONLY)
        return redirect("plans:plan_detail", pk=plan.pk)
    if request.method != "POST":
        form = PlanForm(instance=plan)
        return render(request, "schemes/plan_form.html", {"form": form, "plan": plan})
    with transaction.atomic():
        if plan.pk:
            plan = Plan.objects.select_for_update().get(pk=plan.pk)
        else:
            plan.unit = home_unit(request.user)
        form = PlanForm(request.POST, instance=plan)
        if form.is_valid():
            try:
                plan = services.plan_save(form.instance, user=request.user)
            except REFUSALS as refusal:  # one of the same year and source: not on the form
                form.add_error(None, refusal_text(refusal))
            else:
                messages.success(request, f"Đã lưu kế hoạch “{plan.title}”.")
                return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "schemes/plan_form.html", {"form": form, "plan": plan})


def plan_create(request):
    return _plan_form(request, Plan())


def plan_edit(request, pk):
    return _plan_form(request, get_visible_or_404(Plan, request.user, pk=pk))


@require_POST
def plan_transition(request, pk, name):
    plan = get_visible_or_404(Plan, request.user, pk=pk)
    inputs = posted_inputs(Plan, name, request.POST)
    try:
        plan = services.plan_transition(plan_id=plan.pk, name=name, user=request.user, **inputs)
    except REFUSALS as refusal:
        report_refusal(request, refusal)
    else:
        messages.success(request, f"Kế hoạch đã chuyển sang “{plan.get_status_display()}”.")
    return redirect("plans:plan_detail", pk=pk)


def plan_builder(request, pk):
    """Rank the year's requests, suggest a fit, and make draft schemes from those picked."""
    require(is_officer(request.user), "Chỉ cán bộ Trung tâm Khuyến công lập kế hoạch.")
    plan = get_visible_or_404(Plan.objects.select_related("funding_source"), request.user, pk=pk)
    if request.method == "POST":
        ids = [pk for pk in map(parse_pk, request.POST.getlist("pick")) if pk is not None]
        try:
            schemes = planning.build_schemes(plan_id=plan.pk, request_ids=ids, user=request.user)
        except REFUSALS as refusal:
            report_refusal(request, refusal)
        else:
            codes = ", ".join(s.code for s in schemes)
            messages.success(
                request, f"Đã lập {len(schemes)} đề án dự thảo ({codes}) từ {len(ids)} đăng ký."
            )
            return redirect("plans:plan_detail", pk=plan.pk)
        picked = set(ids)
    else:
        picked = None
    candidates, available, left = planning.rank(plan, request.user)
    if picked is not None:  # after a refusal, keep the officer's own choice
        for c in candidates:
            c.suggested = c.request.pk in picked
    suggested = [c for c in candidates if c.suggested]
    context = {
        "plan": plan,
        "candidates": candidates,
        "available": available,
        "left": left,
        "suggested_total": sum(c.support for c in suggested),
        "capped": [c for c in candidates if c.cap],
        "by_district": planning.sums(candidates, lambda c: c.district.name),
        "by_activity": planning.sums(candidates, lambda c: c.request.activity_type),
        "weights_form": WeightsForm(),
    }
    return render(request, "schemes/plan_builder.html", context)


@require_POST
def plan_weights(request, pk):
    """Save the province's weights of the priority criteria, then rank again."""
    require(is_officer(request.user), "Chỉ cán bộ Trung tâm Khuyến công đặt trọng số.")
    get_visible_or_404(Plan, request.user, pk=pk)
    form = WeightsForm(request.POST)
    if form.is_valid():
        services.priority_weights_save(form.cleaned_data, user=request.user)
        messages.success(request, "Đã lưu trọng số tiêu chí ưu tiên; danh sách đã xếp lại.")
    else:
        messages.error(request, "Trọng số phải là số nguyên từ 0 đến 10.")
    return redirect("plans:plan_builder", pk=pk)


def plan_export_xlsx(request, pk):
    require(is_provincial(request.user), "Chỉ cán bộ cấp tỉnh tải kế hoạch.")
    plan = get_visible_or_404(Plan.objects.select_related("funding_source"), request.user, pk=pk)
    return attachment(
        plan_workbook(plan), f"ke-hoach-{plan.funding_source.code.lower()}-{plan.year}.xlsx"
    )


def plan_export_pdf(request, pk):
    require(is_provincial(request.user), "Chỉ cán bộ cấp tỉnh tải kế hoạch.")
    plan = get_visible_or_404(
        Plan.objects.select_related("funding_source", "unit"), request.user, pk=pk
    )
    name = f"ke-hoach-{plan.funding_source.code.lower()}-{plan.year}.pdf"
    return attachment(plan_pdf(plan), name, "application/pdf")
