"""A scheme's printable documents, rendered in the request like the plan's PDF (one or two
pages): its summary (tóm tắt đề án) and its acceptance minutes (biên bản nghiệm thu), filled
from what is recorded and left with lines to fill where it is not yet."""

from django.db.models import Count, Sum

from khuyencong.dates import today
from khuyencong.pdf import render_pdf
from khuyencong.printing import place_name

from .models import Acceptance, Contract, Disbursement, Inspection, SchemeBeneficiary


def printed_records(scheme, user):
    """The scheme's rows as its page shows them to the user (a partner district sees only its
    own beneficiaries' and, summed in one line, how many others there are): a fixed number of
    queries whatever their length."""
    items = list(scheme.items.select_related("activity_type"))
    beneficiaries = list(
        SchemeBeneficiary.objects.visible_to(user)
        .filter(scheme=scheme)
        .select_related("facility__unit")
    )
    others = None
    if not scheme.placed:
        others = scheme.beneficiaries.hidden_from(user).aggregate(
            count=Count("pk"), support=Sum("support_amount")
        )
    contracts = list(Contract.objects.visible_to(user).filter(scheme=scheme))
    disbursements = list(
        Disbursement.objects.visible_to(user)
        .filter(contract__scheme=scheme)
        .select_related("contract")
    )
    return {
        "items": items,
        "items_support": sum(i.support_amount for i in items),
        "items_counterpart": sum(i.counterpart_amount for i in items),
        "items_cost": sum(i.cost for i in items),
        "beneficiaries": beneficiaries,
        "others": others,
        "contracts": contracts,
        "contracts_total": sum(c.value for c in contracts),
        "disbursements": disbursements,
        "disbursed_total": sum(d.amount for d in disbursements),
        "inspections": list(Inspection.objects.filter(scheme=scheme).order_by("inspected_on")),
    }


def _common(scheme, user):
    province = scheme.plan.unit
    return {
        "scheme": scheme,
        "province": province,
        "place": place_name(province),
        "today": today(),
        **printed_records(scheme, user),
    }


def scheme_summary_pdf(scheme, user):
    context = _common(scheme, user)
    context["acceptances"] = list(scheme.acceptances.all())
    context["total_budget"] = scheme.budget + scheme.counterpart_budget
    return render_pdf("schemes/scheme_summary_pdf.html", context)


def acceptance_minutes_pdf(scheme, user):
    """The minutes of the last acceptance recorded, or of one to come: its date, committee,
    result and amount then left as lines to fill by hand."""
    context = _common(scheme, user)
    context["acceptance"] = (
        Acceptance.objects.filter(scheme=scheme).order_by("-held_on", "-pk").first()
    )
    return render_pdf("schemes/acceptance_minutes_pdf.html", context)
