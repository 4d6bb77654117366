"""Schemes: the list with its risk flags, the scheme page, create and edit, life-cycle steps."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from beneficiaries.models import Facility, SupportRequest
from khuyencong.forms import DossierBatchForm
from khuyencong.pagination import paginate
from khuyencong.responses import list_export, require
from khuyencong.roles import is_officer, is_provincial
from khuyencong.scope import get_visible_or_404, openable
from khuyencong.workflow import (
    allowed_transitions,
    blocked_transitions,
    next_step,
    posted_inputs,
)

from .. import caps, services
from ..exports import SCHEME_COLUMNS, scheme_totals
from ..filters import SchemeFilter
from ..forms import (
    AcceptanceForm,
    AcceptanceWaiverForm,
    BeneficiaryForm,
    ContractForm,
    DisbursementForm,
    InspectionForm,
    ItemForm,
    SchemeDocumentForm,
    SchemeForm,
)
from ..models import (
    ACCEPTANCE_GATES,
    Contract,
    Disbursement,
    Inspection,
    Plan,
    Scheme,
    SchemeBeneficiary,
    SchemeDocument,
)
from ..timeline import scheme_timeline
from . import REFUSALS, report_refusal

# From the start of the work on: the acceptance review's minutes may be prepared.
MINUTES_PRINTABLE = (
    Scheme.Status.CONTRACTED,
    Scheme.Status.IN_PROGRESS,
    Scheme.Status.AWAITING_ACCEPTANCE,
    Scheme.Status.ACCEPTED,
    Scheme.Status.SETTLED,
)


def _filtered_schemes(request):
    return SchemeFilter(request.GET, queryset=Scheme.objects.visible_to(request.user))


def scheme_list(request):
    # The filter annotates the risks only to filter by them; the page's rows are read with their
    # amounts and risks for their ids alone (see paginate).
    filterset = _filtered_schemes(request)
    totals = scheme_totals(filterset.qs)
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs, count=totals["count"], rows=_list_rows),
        "totals": totals,
        "can_edit": is_officer(request.user),
    }
    return render(request, "schemes/scheme_list.html", context)


def scheme_export(request):
    """The schemes of the list as filtered, all pages, with their amounts and sums."""
    rows = _filtered_schemes(request).qs.select_related(
        "plan__funding_source", "unit", "activity_type"
    )
    return list_export(
        request,
        name="de-an",
        title="Đề án",
        columns=SCHEME_COLUMNS,
        rows=rows.with_amounts(),
        back=reverse("schemes:scheme_list"),
    )


def _list_rows(ids):
    """The list's rows of these ids, which paginate took from the user's visible schemes."""
    return (
        Scheme.objects.filter(pk__in=ids)
        .select_related("plan__funding_source", "unit", "activity_type")
        .with_risks()
    )


def visible_scheme(request, pk):
    """The scheme with its amounts and risks, if the user's scope holds it (404 otherwise)."""
    return get_visible_or_404(
        Scheme.objects.select_related("plan__funding_source", "unit", "activity_type__parent")
        .with_risks()
        .with_placement(request.user),
        request.user,
        pk=pk,
    )


def open_forms(scheme, user):
    """The entry forms the user may use on the scheme now, by name."""
    if not is_officer(user):
        return {}
    status = scheme.status
    forms = {}
    if status in services.ITEMS_OPEN:
        forms["item"] = ItemForm(may_grant=services.may_grant_exceptions(user))
    if status in services.BENEFICIARIES_OPEN:
        forms["beneficiary"] = BeneficiaryForm(scheme=scheme, user=user)
    if status in services.CONTRACTS_OPEN:
        forms["contract"] = ContractForm(scheme=scheme)
    if status in services.PAYMENTS_OPEN and scheme.contracts.exists():
        forms["disbursement"] = DisbursementForm(scheme=scheme)
    if status in services.INSPECTIONS_OPEN:
        forms["inspection"] = InspectionForm()
    if status in services.ACCEPTANCE_OPEN:
        forms["acceptance"] = AcceptanceForm(initial={"accepted_amount": scheme.budget})
    if status != Scheme.Status.CANCELLED:
        forms["document"] = SchemeDocumentForm(kinds=_kinds(scheme))
    for name, form in forms.items():
        form.auto_id = entry_ids(name)
    return forms


def entry_ids(name):
    """Ids of one entry form's fields: several forms share the page and their field names."""
    return f"id_{name}_%s"


def _kinds(scheme):
    return [kind for kind, _documents in scheme.dossier_checklist()]


def records_seen_by(user, scheme):
    """The scheme's records that may be a beneficiary's, as the user may see them (through
    visible_to: a partner district, its own beneficiaries' and the scheme's own), and for a
    partner `others`: how many other areas' facilities take part and their support."""
    documents = SchemeDocument.objects.visible_to(user).filter(scheme=scheme)
    # The checklists read scheme.documents.all() several times: one query serves them all.
    scheme._prefetched_objects_cache = {
        "documents": list(documents.select_related("kind", "uploaded_by"))
    }
    beneficiaries = (
        SchemeBeneficiary.objects.visible_to(user)
        .filter(scheme=scheme)
        .select_related("facility__unit__parent", "request")
        .prefetch_related(Prefetch("contracts", queryset=Contract.objects.visible_to(user)))
    )
    others = None
    if not scheme.placed:
        others = scheme.beneficiaries.hidden_from(user).aggregate(
            count=Count("pk"), support=Sum("support_amount")
        )
    return {
        "documents": scheme.documents.all(),
        "beneficiaries": list(beneficiaries),
        "others": others,
        "contracts": Contract.objects.visible_to(user)
        .filter(scheme=scheme)
        .select_related("beneficiary__facility"),
        "disbursements": Disbursement.objects.visible_to(user)
        .filter(contract__scheme=scheme)
        .select_related("contract"),
        "photos": documents.order_by("pk"),
    }


def render_detail(request, scheme, bound=None, status=200):
    """The scheme page; `bound` is {name: form} of a refused entry, shown open with its errors
    and what the user typed."""
    user = request.user
    seen = records_seen_by(user, scheme)
    forms = open_forms(scheme, request.user)
    forms.update(bound or {})
    checklist = scheme.dossier_checklist()
    context = {
        "scheme": scheme,
        "risks": scheme.risks(),
        "items": [
            (item, caps.rule_for(scheme, item.activity_type, item.basis))
            for item in scheme.items.select_related("activity_type", "exception__recorded_by")
        ],
        "beneficiaries": seen["beneficiaries"],
        # A beneficiary of another area (one that has moved) is named without a link.
        "open_facilities": openable(
            user, Facility.objects, [b.facility_id for b in seen["beneficiaries"]]
        ),
        "open_requests": openable(
            user, SupportRequest.objects, [b.request_id for b in seen["beneficiaries"]]
        ),
        "plan_open": bool(openable(user, Plan.objects, [scheme.plan_id])),
        "others": seen["others"],
        "can_declare": is_officer(request.user)
        and scheme.status in (*services.BENEFICIARIES_OPEN, *services.CONTRACTS_OPEN),
        "checklist": checklist,
        "dossier_form": DossierBatchForm(kinds=[k for k, _ in checklist])
        if "document" in forms
        else None,
        "dossier_kinds": [kind for kind, _documents in checklist],
        "missing_ids": [kind.pk for kind, documents in checklist if not documents],
        "beneficiary_checklists": scheme.beneficiary_checklists(seen["beneficiaries"]),
        "other_documents": [
            d for d in seen["documents"] if d.kind_id is None and d.inspection_id is None
        ],
        "contracts": seen["contracts"],
        "disbursements": seen["disbursements"],
        "inspections": Inspection.objects.filter(scheme=scheme).prefetch_related(
            Prefetch("photos", queryset=seen["photos"])
        ),
        "acceptances": scheme.acceptances.select_related("recorded_by"),
        "transitions": allowed_transitions(scheme, request.user),
        "blocked": blocked_transitions(scheme, request.user),
        "step": next_step(scheme, request.user),
        "forms": forms,
        "opened": next(iter(bound), "") if bound else "",
        "can_edit": is_officer(request.user)
        and not scheme.is_closed
        and scheme.status != Scheme.Status.SUBMITTED,
        "waiver_form": _waiver_form(scheme, user),
        # The minutes are drawn up by the Centre, before the review or after it.
        "can_print_minutes": is_provincial(user) and scheme.status in MINUTES_PRINTABLE,
        "waivers": scheme.acceptance_waivers.select_related("recorded_by"),
        "history": scheme_timeline(scheme, partner=None if scheme.placed else user),
        "history_title": "Diễn biến đề án",
    }
    return render(request, "schemes/scheme_detail.html", context, status=status)


def _waiver_form(scheme, user):
    """The officer's form of an exception to the gates of a request for acceptance, shown by the
    blocked step while some gate is unmet."""
    if scheme.status != Scheme.Status.IN_PROGRESS or not is_officer(user):
        return None
    if all(condition(scheme) for condition in ACCEPTANCE_GATES.values()):
        return None
    return AcceptanceWaiverForm(auto_id=entry_ids("waiver"))


@require_POST
def acceptance_waiver_add(request, pk):
    scheme = visible_scheme(request, pk)
    require(is_officer(request.user), "Chỉ cán bộ Trung tâm Khuyến công ghi nhận ngoại lệ.")
    form = AcceptanceWaiverForm(request.POST, auto_id=entry_ids("waiver"))
    if form.is_valid():
        try:
            services.acceptance_waiver_record(
                scheme=scheme, user=request.user, reason=form.cleaned_data["reason"]
            )
        except REFUSALS as refusal:
            report_refusal(request, refusal)
        else:
            messages.success(request, "Đã ghi nhận ngoại lệ; có thể đề nghị nghiệm thu.")
            return redirect("schemes:scheme_detail", pk=pk)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{reverse('schemes:scheme_detail', args=[pk])}#ngoai-le")


def scheme_detail(request, pk):
    return render_detail(request, visible_scheme(request, pk))


def _scheme_form(request, scheme):
    user = request.user
    require(is_officer(user), "Chỉ cán bộ Trung tâm Khuyến công lập và sửa đề án.")
    if scheme.pk and scheme.is_closed:
        messages.error(request, "Đề án đã nghiệm thu, quyết toán hoặc đã hủy nên không sửa được.")
        return redirect("schemes:scheme_detail", pk=scheme.pk)
    if scheme.pk and scheme.status == Scheme.Status.SUBMITTED:
        messages.error(request, services.SUBMITTED_READ_ONLY)
        return redirect("schemes:scheme_detail", pk=scheme.pk)
    if request.method != "POST":
        initial = {"plan": request.GET.get("plan")} if not scheme.pk else None
        form = SchemeForm(instance=scheme, user=user, initial=initial)
        return render(request, "schemes/scheme_form.html", {"form": form, "scheme": scheme})
    with transaction.atomic():
        if scheme.pk:
            # Read again under a lock: of two officers saving at once, the second is told.
            scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        form = SchemeForm(request.POST, instance=scheme, user=user)
        if form.is_valid():
            try:
                scheme, warning = services.scheme_save(form.instance, user=user)
            except REFUSALS as refusal:
                report_refusal(request, refusal)
            else:
                messages.success(request, f"Đã lưu đề án {scheme.code}.")
                if warning:
                    messages.warning(request, warning)
                return redirect("schemes:scheme_detail", pk=scheme.pk)
    return render(request, "schemes/scheme_form.html", {"form": form, "scheme": scheme})


def scheme_create(request):
    return _scheme_form(request, Scheme())


def scheme_edit(request, pk):
    return _scheme_form(request, get_visible_or_404(Scheme, request.user, pk=pk))


@require_POST
def scheme_transition(request, pk, name):
    scheme = get_visible_or_404(Scheme, request.user, pk=pk)
    inputs = posted_inputs(Scheme, name, request.POST)
    try:
        scheme = services.scheme_transition(
            scheme_id=scheme.pk, name=name, user=request.user, **inputs
        )
    except REFUSALS as refusal:
        report_refusal(request, refusal)
    else:
        messages.success(request, f"Đề án đã chuyển sang “{scheme.get_status_display()}”.")
    return redirect("schemes:scheme_detail", pk=pk)
