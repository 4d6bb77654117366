"""The contract and payment lists, across the schemes the user may see, and their exports."""

from django.shortcuts import render
from django.urls import reverse

from khuyencong.pagination import paginate
from khuyencong.responses import list_export

from ..filters import ContractFilter, DisbursementFilter
from ..models import Contract, Disbursement
from ..payments import (
    CONTRACT_COLUMNS,
    CONTRACT_RELATED,
    DISBURSEMENT_COLUMNS,
    DISBURSEMENT_RELATED,
    contract_totals,
    contracts_with_disbursed,
    disbursement_totals,
)


def _contracts(request):
    return ContractFilter(
        request.GET, queryset=Contract.objects.visible_to(request.user), user=request.user
    )


def _disbursements(request):
    return DisbursementFilter(
        request.GET, queryset=Disbursement.objects.visible_to(request.user), user=request.user
    )


def contract_list(request):
    filterset = _contracts(request)
    totals = contract_totals(filterset.qs)
    rows = contracts_with_disbursed(filterset.qs.select_related(*CONTRACT_RELATED))
    context = {
        "filter": filterset,
        "page": paginate(request, rows, count=totals["count"]),
        "totals": totals,
    }
    return render(request, "schemes/contract_list.html", context)


def contract_export(request):
    """The contracts of the list as filtered, all pages, with their sums."""
    rows = contracts_with_disbursed(_contracts(request).qs.select_related(*CONTRACT_RELATED))
    return list_export(
        request,
        name="hop-dong",
        title="Hợp đồng",
        columns=CONTRACT_COLUMNS,
        rows=rows,
        back=reverse("schemes:contract_list"),
    )


def disbursement_list(request):
    filterset = _disbursements(request)
    totals = disbursement_totals(filterset.qs)
    rows = filterset.qs.select_related(*DISBURSEMENT_RELATED)
    context = {
        "filter": filterset,
        "page": paginate(request, rows, count=totals["count"]),
        "totals": totals,
    }
    return render(request, "schemes/disbursement_list.html", context)


def disbursement_export(request):
    """The payments of the list as filtered, all pages, with their sum."""
    rows = _disbursements(request).qs.select_related(*DISBURSEMENT_RELATED)
    return list_export(
        request,
        name="giai-ngan",
        title="Giải ngân",
        columns=DISBURSEMENT_COLUMNS,
        rows=rows,
        back=reverse("schemes:disbursement_list"),
    )
