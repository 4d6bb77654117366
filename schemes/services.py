"""Writes on schemes and their records. Views, the admin's actions, commands and tests call
these; each locks what it checks so that two users at once cannot break a rule together."""

import datetime

from django.db import transaction
from django.db.models import Sum

from khuyencong.workflow import TransitionRefused, run_transition

from .models import (
    Acceptance,
    Contract,
    Disbursement,
    Inspection,
    Scheme,
    SchemeBeneficiary,
    SchemeItem,
)


class RuleBroken(Exception):
    """A write refused by a business rule; the message is for the user, in Vietnamese."""


def _locked_scheme(scheme_id):
    return Scheme.objects.select_for_update().get(pk=scheme_id)


def _saved(obj, user, reason=""):
    obj._history_user = user
    obj._change_reason = reason
    obj.full_clean()
    obj.save()
    return obj


def scheme_transition(*, scheme_id, name, user, **kwargs):
    """Run a life-cycle step (approve, mark_contracted, start, …) on a scheme the user sees."""
    decided = kwargs.get("decision_number") and isinstance(
        kwargs.get("decision_date"), datetime.date
    )
    if name == "approve" and not decided:
        raise TransitionRefused("Cần nhập số và ngày của quyết định phê duyệt.")
    if name == "cancel" and not (kwargs.get("reason") or "").strip():
        raise TransitionRefused("Cần nêu lý do hủy đề án.")
    return run_transition(
        Scheme, scheme_id, name, user, queryset=Scheme.objects.visible_to(user), **kwargs
    )


def scheme_item_add(*, scheme, user, activity_type, description, support_amount, counterpart=0):
    with transaction.atomic():
        locked = _locked_scheme(scheme.pk)
        total = (locked.items.aggregate(s=Sum("support_amount"))["s"] or 0) + support_amount
        if total > locked.budget:
            raise RuleBroken("Tổng các hạng mục vượt kinh phí khuyến công của đề án.")
        item = SchemeItem(
            scheme=locked,
            activity_type=activity_type,
            description=description,
            support_amount=support_amount,
            counterpart_amount=counterpart,
        )
        return _saved(item, user, "Thêm hạng mục")


def beneficiary_add(
    *, scheme, facility, user, support_amount, counterpart=0, request=None, declared=True
):
    """Put a facility into a scheme; the beneficiaries' support may never exceed the budget."""
    with transaction.atomic():
        locked = _locked_scheme(scheme.pk)
        if locked.beneficiaries_support_total() + support_amount > locked.budget:
            raise RuleBroken(
                "Kinh phí hỗ trợ các cơ sở vượt kinh phí khuyến công của đề án "
                f"({locked.budget:,} đ).".replace(",", ".")
            )
        link = SchemeBeneficiary(
            scheme=locked,
            facility=facility,
            request=request,
            support_amount=support_amount,
            counterpart_amount=counterpart,
            no_other_state_funding=declared,
        )
        return _saved(link, user, "Thêm cơ sở thụ hưởng")


def contract_sign(*, scheme, user, number, signed_on, value, party_name, beneficiary=None, **extra):
    with transaction.atomic():
        locked = _locked_scheme(scheme.pk)
        if locked.status not in (Scheme.Status.APPROVED, Scheme.Status.CONTRACTED):
            raise RuleBroken("Chỉ ký hợp đồng cho đề án đã được phê duyệt.")
        if locked.contracted_total() + value > locked.budget:
            raise RuleBroken("Tổng giá trị hợp đồng vượt kinh phí khuyến công của đề án.")
        contract = Contract(
            scheme=locked,
            beneficiary=beneficiary,
            number=number,
            signed_on=signed_on,
            value=value,
            party_name=party_name,
            **extra,
        )
        return _saved(contract, user, "Ký hợp đồng")


def disbursement_record(*, contract, user, kind, paid_on, amount, document_number=""):
    """Record money paid out; what is paid on a contract may never exceed its value."""
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        paid = locked.disbursements.aggregate(s=Sum("amount"))["s"] or 0
        if paid + amount > locked.value:
            raise RuleBroken(
                f"Số tiền chi vượt giá trị hợp đồng {locked.number}: "
                f"đã chi {paid:,} đ, giá trị {locked.value:,} đ.".replace(",", ".")
            )
        row = Disbursement(
            contract=locked,
            kind=kind,
            paid_on=paid_on,
            amount=amount,
            document_number=document_number,
        )
        return _saved(row, user, Disbursement.Kind(kind).label)


def inspection_record(*, scheme, user, **fields):
    return _saved(Inspection(scheme=scheme, **fields), user, "Ghi kết quả kiểm tra")


def acceptance_record(*, scheme, user, held_on, committee, result, accepted_amount, **extra):
    """Record an acceptance review; the accepted amount may never exceed the approved budget."""
    with transaction.atomic():
        locked = _locked_scheme(scheme.pk)
        if result == Acceptance.Result.PASSED and accepted_amount > locked.budget:
            raise RuleBroken("Kinh phí nghiệm thu vượt kinh phí khuyến công đã phê duyệt.")
        row = Acceptance(
            scheme=locked,
            held_on=held_on,
            committee=committee,
            result=result,
            accepted_amount=accepted_amount,
            recorded_by=user,
            **extra,
        )
        return _saved(row, user, "Ghi biên bản nghiệm thu")
