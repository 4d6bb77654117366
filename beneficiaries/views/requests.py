"""Support requests: list, review queue, detail with its dossier, create, edit, life cycle."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, F, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from khuyencong.history import history_rows
from khuyencong.pagination import paginate
from khuyencong.responses import attachment, require, sent_twice
from khuyencong.roles import can_edit_facilities, is_district
from khuyencong.saving import SentTwice
from khuyencong.scope import get_visible_or_404, parse_pk
from khuyencong.workflow import TransitionRefused, allowed_transitions, next_step, posted_inputs

from .. import services
from ..filters import SupportRequestFilter
from ..forms import DocumentForm, SupportRequestForm
from ..models import DocumentKind, Facility, SupportRequest
from ..workbooks import request_workbook

SUMMED = {
    "count": Count("pk"),
    "total_cost": Sum("total_cost"),
    "support": Sum("support_requested"),
    "counterpart": Sum("counterpart"),
}


def _requests(user):
    return SupportRequest.objects.visible_to(user).order_by("-year", "facility__name_key", "pk")


def _list_rows(ids):
    """The list's rows of these ids, which paginate took from the user's visible requests: the
    order (by facility name) joins each request of the year to its facility, cheaply for ids
    alone (covering indexes), not for every column shown."""
    return SupportRequest.objects.filter(pk__in=ids).select_related(
        "facility__unit", "activity_type"
    )


def request_list(request):
    filterset = SupportRequestFilter(
        request.GET, queryset=_requests(request.user), user=request.user
    )
    rows = filterset.qs
    context = {
        "filter": filterset,
        "page": paginate(request, rows, count=rows.count(), rows=_list_rows),
        "can_file": is_district(request.user),
    }
    return render(request, "beneficiaries/request_list.html", context)


def request_review_queue(request):
    """What waits for the province's decision, with the sums per unit and per activity."""
    require(request.user.is_provincial, "Hàng chờ xét duyệt dành cho cán bộ cấp tỉnh.")
    waiting = _requests(request.user).awaiting_decision()
    filterset = SupportRequestFilter(request.GET, queryset=waiting, user=request.user, queue=True)
    rows = filterset.qs
    by_activity = list(
        rows.order_by()
        .values("activity_type__code", "activity_type__name")
        .annotate(**SUMMED)
        .order_by("activity_type__code")
    )
    # Every request has an activity: the totals are the sums of these rows, and their count is
    # the list's, so neither is read again from the whole queue.
    totals = {key: sum(row[key] for row in by_activity) for key in SUMMED}
    context = {
        "filter": filterset,
        "page": paginate(request, rows, count=totals["count"], rows=_list_rows),
        "by_unit": rows.order_by()
        .values(district=F("scope_unit__parent__name"))
        .annotate(**SUMMED)
        .order_by("district"),
        "by_activity": by_activity,
        "totals": totals,
    }
    return render(request, "beneficiaries/request_queue.html", context)


def request_detail(request, pk):
    support_request = get_visible_or_404(
        SupportRequest.objects.select_related(
            "facility__unit__parent", "activity_type", "scheme_link__scheme"
        ),
        request.user,
        pk=pk,
    )
    checklist = support_request.dossier_checklist()
    may_upload = can_edit_facilities(request.user) and (
        support_request.status in services.DOSSIER_OPEN
    )
    missing = [kind for kind, documents in checklist if not documents]
    kinds = DocumentKind.objects.required_for(support_request.activity_type)
    context = {
        "req": support_request,
        "checklist": checklist,
        "missing": missing,
        # Shown, disabled, with the reason: better than a button that is simply not there.
        "submit_blocked": is_district(request.user) and support_request.is_editable and missing,
        "other_documents": support_request.documents.filter(kind__isnull=True),
        "transitions": allowed_transitions(support_request, request.user),
        "step": next_step(support_request, request.user),
        "document_form": (
            DocumentForm(kinds=kinds, initial={"kind": missing[0] if missing else None})
            if may_upload
            else None
        ),
        "can_edit": is_district(request.user) and support_request.is_editable,
        "history": history_rows(support_request),
    }
    return render(request, "beneficiaries/request_detail.html", context)


def _request_form(request, support_request):
    user = request.user
    require(
        is_district(user), "Chỉ cán bộ cấp xã (trước 01/07/2025: cấp huyện) nhập đăng ký nhu cầu."
    )
    if support_request.pk and not support_request.is_editable:
        messages.error(request, "Đăng ký đã gửi lên tỉnh nên không sửa được nữa.")
        return redirect("beneficiaries:request_detail", pk=support_request.pk)
    initial = {}
    facility_id = parse_pk(request.GET.get("facility"))
    if not support_request.pk and facility_id is not None:
        facility = Facility.objects.visible_to(user).filter(pk=facility_id).first()
        if facility is None:
            raise Http404
        initial["facility"] = facility
    if request.method != "POST":
        form = SupportRequestForm(instance=support_request, initial=initial, user=user)
    else:
        with transaction.atomic():
            if support_request.pk:
                support_request = SupportRequest.objects.select_for_update().get(
                    pk=support_request.pk
                )
            form = SupportRequestForm(request.POST, instance=support_request, user=user)
            if earlier := form.sent_before():
                return sent_twice(request, earlier, "beneficiaries:request_detail")
            if form.is_valid():
                try:
                    saved = services.request_save(form.instance, user=user)
                except SentTwice as twice:
                    return sent_twice(request, twice.record, "beneficiaries:request_detail")
                except TransitionRefused as refusal:
                    form.add_error(None, str(refusal))
                else:
                    messages.success(request, "Đã lưu đăng ký. Hãy tải hồ sơ lên rồi gửi lên tỉnh.")
                    return redirect("beneficiaries:request_detail", pk=saved.pk)
    flags = SupportRequest.PRIORITY_FLAGS
    context = {
        "form": form,
        "req": support_request,
        "main_fields": [field for field in form if field.name not in flags],
        "flag_fields": [field for field in form if field.name in flags],
        "back_facility": initial.get("facility"),
    }
    return render(request, "beneficiaries/request_form.html", context)


def request_create(request):
    return _request_form(request, SupportRequest())


def request_edit(request, pk):
    return _request_form(request, get_visible_or_404(SupportRequest, request.user, pk=pk))


@require_POST
def request_transition(request, pk, name):
    support_request = get_visible_or_404(SupportRequest, request.user, pk=pk)
    inputs = posted_inputs(SupportRequest, name, request.POST)
    try:
        support_request = services.request_transition(
            request_id=support_request.pk, name=name, user=request.user, **inputs
        )
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"Đăng ký đã chuyển sang “{support_request.get_status_display()}”."
        )
    return redirect("beneficiaries:request_detail", pk=pk)


def request_template(request):
    require(
        is_district(request.user),
        "Chỉ cán bộ cấp xã (trước 01/07/2025: cấp huyện) nhập đăng ký nhu cầu.",
    )
    return attachment(request_workbook(request.user), "mau-dang-ky-nhu-cau.xlsx")
