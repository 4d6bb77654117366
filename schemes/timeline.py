"""The timeline of a scheme: everything that happened to it and to its records (beneficiaries,
contracts, payments, inspections, acceptance, documents), with who and when, read from the
history tables. One query per kind of record, whatever the scheme's size."""

from dataclasses import dataclass, field

from khuyencong.history import history_rows
from khuyencong.money import format_vnd

from .models import (
    Acceptance,
    AcceptanceWaiver,
    Contract,
    Disbursement,
    Inspection,
    RuleException,
    SchemeBeneficiary,
    SchemeDocument,
    SchemeItem,
)


@dataclass
class Event:
    when: object
    who: object
    action: str
    changes: list = field(default_factory=list)  # (label, old, new), as history rows have
    detail: str = ""


def _describe_item(r):
    return f"{r.description}: {format_vnd(r.support_amount)}"


def _describe_beneficiary(r):
    return f"{r.facility.name}: hỗ trợ {format_vnd(r.support_amount)}"


def _describe_contract(r):
    return f"Hợp đồng {r.number} với {r.party_name}: {format_vnd(r.value)}"


def _describe_disbursement(r):
    return f"{r.get_kind_display()} {format_vnd(r.amount)} theo hợp đồng {r.contract.number}"


def _describe_inspection(r):
    text = f"Kiểm tra ngày {r.inspected_on:%d/%m/%Y}, tiến độ {r.progress_percent}%"
    return f"{text}; vướng mắc: {r.problems}" if r.problems else text


def _describe_acceptance(r):
    amount = format_vnd(r.accepted_amount)
    return f"Nghiệm thu ngày {r.held_on:%d/%m/%Y}: {r.get_result_display()}, {amount}"


def _describe_document(r):
    return r.title


def _describe_exception(r):
    return (
        f"{r.rule.activity_type.name}: chấp thuận {format_vnd(r.granted_amount)}, trên định mức "
        f"{format_vnd(r.allowed_amount)}; lý do: {r.reason}"
    )


def _describe_waiver(r):
    gates = ", ".join(AcceptanceWaiver.Gate(gate).label for gate in r.gates)
    return f"Miễn điều kiện: {gates}; lý do: {r.reason}"


# model, how its history finds the scheme, what to load with it, how to describe a record
SOURCES = [
    (SchemeItem, "scheme_id", (), "Hạng mục", _describe_item),
    (
        RuleException,
        "scheme_id",
        ("rule__activity_type",),
        "Ngoại lệ định mức",
        _describe_exception,
    ),
    (SchemeBeneficiary, "scheme_id", ("facility",), "Cơ sở thụ hưởng", _describe_beneficiary),
    (Contract, "scheme_id", (), "Hợp đồng", _describe_contract),
    (Disbursement, "contract__scheme_id", ("contract",), "Chi tiền", _describe_disbursement),
    (Inspection, "scheme_id", (), "Kiểm tra", _describe_inspection),
    (AcceptanceWaiver, "scheme_id", (), "Ngoại lệ đề nghị nghiệm thu", _describe_waiver),
    (Acceptance, "scheme_id", (), "Nghiệm thu", _describe_acceptance),
    (SchemeDocument, "scheme_id", (), "Tài liệu", _describe_document),
]
VERBS = {"+": "thêm", "~": "sửa", "-": "xóa"}


def scheme_timeline(scheme, partner=None, limit=100):
    """Events newest first: the scheme's own history and its records'. For a `partner` (a user
    who sees the scheme only through his unit's beneficiaries), of the records of one
    beneficiary only those still visible to him: a deleted one's past is tied to no unit."""
    events = [Event(r.when, r.who, r.action, r.changes) for r in history_rows(scheme, limit)]
    for model, lookup, related, noun, describe in SOURCES:
        records = model.history.filter(**{lookup: scheme.pk})
        if partner is not None and model.objects.of_one_beneficiary():
            records = records.filter(id__in=model.objects.visible_to(partner).values("pk"))
        records = records.select_related("history_user", *related).order_by("-history_date")
        records = records[:limit]
        for r in records:
            action = r.history_change_reason or f"{noun}: {VERBS[r.history_type]}"
            events.append(Event(r.history_date, r.history_user, action, detail=describe(r)))
    events.sort(key=lambda e: e.when, reverse=True)
    return events[:limit]
