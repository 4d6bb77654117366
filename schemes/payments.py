"""The contract and payment lists: every contract and payment the user may see, across schemes,
with their sums and their columns for the Excel export."""

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from khuyencong.spreadsheets import Column

from .models import Disbursement


def contracts_with_disbursed(contracts):
    """The contracts, each with `disbursed`: the sum paid against it (0 when nothing is). A
    contract's payments are seen by whoever sees the contract (they are its beneficiary's)."""
    paid = (
        Disbursement.objects.filter(contract=OuterRef("pk"))
        .order_by()
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return contracts.annotate(disbursed=Coalesce(Subquery(paid), 0))


def contract_totals(contracts):
    """The count, value and disbursed sums of all the filtered contracts: one query."""
    return contracts_with_disbursed(contracts.order_by()).aggregate(
        count=Count("pk"),
        value_sum=Coalesce(Sum("value"), 0),
        disbursed_sum=Coalesce(Sum("disbursed"), 0),
    )


def disbursement_totals(disbursements):
    """The count and the amount paid of all the filtered payments: one query."""
    return disbursements.order_by().aggregate(
        count=Count("pk"), amount_sum=Coalesce(Sum("amount"), 0)
    )


def contract_status(contract):
    if contract.closed_on:
        return f"Đã thanh lý {contract.closed_on:%d/%m/%Y}"
    return "Đang thực hiện"


CONTRACT_COLUMNS = [
    Column("Số hợp đồng", lambda c: c.number, width=16),
    Column("Ngày ký", lambda c: c.signed_on, "date", 12),
    Column("Mã đề án", lambda c: c.scheme.code, width=14),
    Column("Tên đề án", lambda c: c.scheme.title, width=40),
    Column("Nguồn", lambda c: c.scheme.plan.funding_source.short_name, width=10),
    Column("Năm", lambda c: c.scheme.plan.year, "number", 8),
    Column("Bên nhận hợp đồng", lambda c: c.party_name, width=32),
    Column(
        "Cơ sở thụ hưởng",
        lambda c: c.beneficiary.facility.name if c.beneficiary_id else "",
        width=32,
    ),
    Column("Ngày hết hạn", lambda c: c.end_date, "date", 12),
    Column("Giá trị (đồng)", lambda c: c.value, "money", 18),
    Column("Đã giải ngân (đồng)", lambda c: c.disbursed, "money", 18),
    Column("Trạng thái", contract_status, width=24),
]

DISBURSEMENT_COLUMNS = [
    Column("Ngày chi", lambda d: d.paid_on, "date", 12),
    Column("Loại", lambda d: d.get_kind_display(), width=12),
    Column("Mã đề án", lambda d: d.contract.scheme.code, width=14),
    Column("Tên đề án", lambda d: d.contract.scheme.title, width=40),
    Column("Nguồn", lambda d: d.contract.scheme.plan.funding_source.short_name, width=10),
    Column("Năm", lambda d: d.contract.scheme.plan.year, "number", 8),
    Column("Số hợp đồng", lambda d: d.contract.number, width=16),
    Column("Bên nhận", lambda d: d.contract.party_name, width=32),
    Column("Số tiền (đồng)", lambda d: d.amount, "money", 18),
    Column("Số chứng từ", lambda d: d.document_number, width=16),
    Column("Ghi chú", lambda d: d.note, width=40),
]

CONTRACT_RELATED = ("scheme__plan__funding_source", "beneficiary__facility")
DISBURSEMENT_RELATED = ("contract__scheme__plan__funding_source",)
