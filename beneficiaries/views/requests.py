"""Support requests: list, review queue (with its decisions on several at once), detail with
its dossier, create, edit, life cycle, and the officer's choice into a plan."""

import dataclasses
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, F, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from khuyencong.dates import today
from khuyencong.forms import DossierBatchForm
from khuyencong.pagination import paginate
from khuyencong.responses import attachment, list_export, require, sent_twice
from khuyencong.roles import can_edit_facilities, is_district, is_officer
from khuyencong.saving import SentTwice
from khuyencong.scope import get_visible_or_404, parse_pk
from khuyencong.workflow import TransitionRefused, allowed_transitions, next_step, posted_inputs

from .. import planning, services
from ..dossier_history import request_history
from ..filters import SupportRequestFilter
from ..forms import DocumentForm, SupportRequestForm
from ..models import DocumentKind, Facility, SupportRequest
from ..workbooks import QUEUE_COLUMNS, REQUEST_COLUMNS, request_workbook

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


def _filtered_requests(request):
    return SupportRequestFilter(request.GET, queryset=_requests(request.user), user=request.user)


def request_list(request):
    filterset = _filtered_requests(request)
    rows = filterset.qs
    # One query sums every filtered row (all pages) and counts them for the pagination.
    totals = rows.order_by().aggregate(**SUMMED)
    context = {
        "filter": filterset,
        "page": paginate(request, rows, count=totals["count"], rows=_list_rows),
        "totals": totals,
        "can_file": is_district(request.user),
    }
    return render(request, "beneficiaries/request_list.html", context)


def request_export(request):
    """The requests of the list as filtered, all pages, with their sums."""
    return list_export(
        request,
        name="dang-ky-nhu-cau",
        title="Đăng ký nhu cầu",
        columns=REQUEST_COLUMNS,
        rows=_filtered_requests(request).qs.select_related("facility__unit", "activity_type"),
        back=reverse("beneficiaries:request_list"),
    )


ONLY_OFFICERS = "Chỉ cán bộ Trung tâm Khuyến công xét chọn đăng ký."


def _queue_year(request):
    """The year the queue shows: the one asked for, "" for all years, next year by default
    (the year the province plans for)."""
    return request.GET.get("year", str(today().year + 1))


def _per_year(rows, keys):
    """{year: {key: sum}} of grouped rows that carry their year."""
    years = {}
    for row in rows:
        sums = years.setdefault(row["year"], dict.fromkeys(keys, 0))
        for key in keys:
            sums[key] += row[key] or 0
    return years


def request_review_queue(request):
    """What waits for the province's decision in a year (next year's by default), with the
    sums per unit and per activity of that year, never across years: with "all years", each
    year is summed apart. An officer picks requests and takes them into a plan or refuses
    them, several at once."""
    filterset, year = _queue_filter(request)
    rows = filterset.qs
    by_activity = list(
        rows.order_by()
        .values("year", "activity_type__code", "activity_type__name")
        .annotate(**SUMMED)
        .order_by("-year", "activity_type__code")
    )
    # Every request has an activity: the totals of each year are the sums of these rows, and
    # their count is the list's, so neither is read again from the whole queue.
    per_year = _per_year(by_activity, SUMMED)
    filterset.form.is_valid()  # the valid fields' values, whatever the others hold
    shown = filterset.form.cleaned_data.get("year") or ""
    if shown:
        per_year.setdefault(int(shown), dict.fromkeys(SUMMED, 0))
    officer = is_officer(request.user)
    context = {
        "filter": filterset,
        "page": paginate(
            request, rows, count=sum(t["count"] for t in per_year.values()), rows=_list_rows
        ),
        "by_unit": rows.order_by()
        .values("year", district=F("scope_unit__parent__name"))
        .annotate(**SUMMED)
        .order_by("-year", "district"),
        "by_activity": by_activity,
        "per_year": sorted(per_year.items(), reverse=True),
        "totals": {k: sum(t[k] for t in per_year.values()) for k in SUMMED},
        "one_year": int(shown) if shown else None,
        "can_decide": officer,
        "plans": (planning.draft_plans(int(shown), request.user) if officer and shown else []),
        "plan_create_url": _plan_create_url() if officer else "",
        "year_value": year,
    }
    return render(request, "beneficiaries/request_queue.html", context)


def _queue_filter(request):
    """The queue's filter over what awaits the province's decision, and the year it shows."""
    require(request.user.is_provincial, "Hàng chờ xét duyệt dành cho cán bộ cấp tỉnh.")
    waiting = _requests(request.user).awaiting_decision()
    year = _queue_year(request)
    years = sorted(
        {*waiting.order_by().values_list("year", flat=True).distinct(), today().year + 1},
        reverse=True,
    )
    data = request.GET.copy()
    data["year"] = year
    filterset = SupportRequestFilter(
        data, queryset=waiting, user=request.user, queue=True, years=years
    )
    return filterset, year


def request_queue_export(request):
    """The queue as filtered (next year's by default, as the page), all pages, with sums."""
    filterset, _year = _queue_filter(request)
    return list_export(
        request,
        name="hang-cho-xet-duyet",
        title="Hàng chờ xét duyệt",
        columns=QUEUE_COLUMNS,
        rows=filterset.qs.select_related("facility__unit", "activity_type"),
        back=reverse("beneficiaries:request_review_queue"),
    )


def _plan_create_url():
    hook = planning.planning()
    return hook.plan_create_url() if hook else ""


def _picked(request):
    return [pk for pk in map(parse_pk, request.POST.getlist("pick")) if pk is not None]


@require_POST
def request_queue_decide(request):
    """The queue's decision on the requests picked: into a plan ("Đưa vào kế hoạch", by the
    plan builder's service) or "Không chọn" with one reason for all; all or nothing. Refused or
    done, it ends on the queue (a reload does not send it again)."""
    require(is_officer(request.user), ONLY_OFFICERS)
    ids = _picked(request)
    action = request.POST.get("action")
    hook = planning.planning()
    try:
        if action == "include" and hook is not None:
            plan_id = parse_pk(request.POST.get("plan"))
            schemes = hook.include(plan_id=plan_id, request_ids=ids, user=request.user)
            codes = ", ".join(s.code for s in schemes)
            messages.success(
                request,
                f"Đã đưa {len(ids)} đăng ký vào kế hoạch: lập {len(schemes)} đề án dự thảo "
                f"({codes}).",
            )
        elif action == "reject":
            refused = services.requests_reject(
                request_ids=ids, reason=request.POST.get("reason", ""), user=request.user
            )
            messages.success(request, f"Đã ghi “Không chọn” cho {len(refused)} đăng ký.")
        else:
            messages.error(request, "Hãy bấm “Đưa vào kế hoạch” hoặc “Không chọn”.")
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    url = reverse("beneficiaries:request_review_queue")
    year = request.POST.get("year")
    return redirect(f"{url}?{urlencode({'year': year})}" if year is not None else url)


@require_POST
def request_choose(request, pk):
    """ "Chọn vào kế hoạch" from the request's page: the plan builder's service with this one
    request, into a draft plan of its year."""
    require(is_officer(request.user), ONLY_OFFICERS)
    support_request = get_visible_or_404(SupportRequest, request.user, pk=pk)
    hook = planning.planning()
    if hook is None:
        raise Http404
    try:
        [scheme] = hook.include(
            plan_id=parse_pk(request.POST.get("plan")),
            request_ids=[support_request.pk],
            user=request.user,
        )
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"Đã chọn vào kế hoạch: lập đề án dự thảo {scheme.code} – {scheme.title}."
        )
    return redirect("beneficiaries:request_detail", pk=pk)


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
    officer = is_officer(request.user)
    step = next_step(support_request, request.user)
    choosing = officer and support_request.awaits_decision and not _linked(support_request)
    if choosing and step is not None and step.name == "include":
        # The page offers the step itself ("Chọn vào kế hoạch", by the plan builder's service).
        step = dataclasses.replace(step, yours=True)
    open_ = support_request.is_editable or support_request.awaits_decision
    context = {
        "req": support_request,
        "checklist": checklist,
        "missing": missing,
        # Shown, disabled, with the reason: better than a button that is simply not there.
        "submit_blocked": is_district(request.user) and support_request.is_editable and missing,
        "other_documents": support_request.documents.filter(kind__isnull=True),
        "transitions": allowed_transitions(support_request, request.user),
        "step": step,
        "choose_plans": planning.draft_plans(support_request.year, request.user)
        if choosing
        else None,
        "plan_create_url": _plan_create_url() if choosing else "",
        "cap_warnings": planning.cap_warnings(support_request) if open_ else [],
        "document_form": (
            DocumentForm(kinds=kinds, initial={"kind": missing[0] if missing else None})
            if may_upload
            else None
        ),
        "dossier_form": DossierBatchForm(kinds=kinds) if may_upload else None,
        "dossier_kinds": kinds,
        "missing_ids": [kind.pk for kind in missing],
        "can_edit": is_district(request.user) and support_request.is_editable,
        "history": request_history(support_request),
    }
    return render(request, "beneficiaries/request_detail.html", context)


def _linked(support_request):
    try:
        return support_request.scheme_link is not None
    except SupportRequest.scheme_link.RelatedObjectDoesNotExist:
        return False


def _warn_caps(request, support_request):
    """A request above a cap is filed all the same, with a warning naming the rule."""
    for warning in planning.cap_warnings(support_request):
        messages.warning(request, warning)


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
                    _warn_caps(request, saved)
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
        if name == "submit":
            _warn_caps(request, support_request)
    return redirect("beneficiaries:request_detail", pk=pk)


def request_template(request):
    require(
        is_district(request.user),
        "Chỉ cán bộ cấp xã (trước 01/07/2025: cấp huyện) nhập đăng ký nhu cầu.",
    )
    return attachment(request_workbook(request.user), "mau-dang-ky-nhu-cau.xlsx")
