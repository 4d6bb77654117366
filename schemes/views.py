"""Scheme pages. Every object is read through its scoped queryset."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from khuyencong.dates import parse_date_vn
from khuyencong.history import history_rows
from khuyencong.pagination import paginate
from khuyencong.scope import get_visible_or_404
from khuyencong.workflow import TransitionRefused, allowed_transitions

from . import services
from .filters import SchemeFilter
from .models import Disbursement, Scheme


def scheme_list(request):
    schemes = (
        Scheme.objects.visible_to(request.user)
        .select_related("plan__funding_source", "unit", "activity_type")
        .with_amounts()
    )
    filterset = SchemeFilter(request.GET, queryset=schemes)
    page = paginate(request, filterset.qs)
    return render(request, "schemes/scheme_list.html", {"filter": filterset, "page": page})


def scheme_detail(request, pk):
    scheme = get_visible_or_404(
        Scheme.objects.select_related(
            "plan__funding_source", "unit", "activity_type"
        ).with_amounts(),
        request.user,
        pk=pk,
    )
    context = {
        "scheme": scheme,
        "items": scheme.items.select_related("activity_type"),
        "beneficiaries": scheme.beneficiaries.select_related("facility__unit"),
        "contracts": scheme.contracts.all(),
        "disbursements": Disbursement.objects.filter(contract__scheme=scheme).select_related(
            "contract"
        ),
        "inspections": scheme.inspections.all(),
        "acceptances": scheme.acceptances.all(),
        "transitions": allowed_transitions(scheme, request.user),
        "history": history_rows(scheme),
    }
    return render(request, "schemes/scheme_detail.html", context)


@require_POST
def scheme_transition(request, pk, name):
    scheme = get_visible_or_404(Scheme, request.user, pk=pk)
    kwargs = {}
    if name == "approve":
        kwargs = {
            "decision_number": request.POST.get("decision_number", "").strip(),
            "decision_date": parse_date_vn(request.POST.get("decision_date", "")),
        }
    elif name == "cancel":
        kwargs = {"reason": request.POST.get("reason", "")}
    try:
        scheme = services.scheme_transition(
            scheme_id=scheme.pk, name=name, user=request.user, **kwargs
        )
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Đề án đã chuyển sang “{scheme.get_status_display()}”.")
    return redirect("schemes:scheme_detail", pk=pk)
