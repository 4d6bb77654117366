"""Writes on plans, schemes and their records. Views, the admin's actions, commands and tests
call these; each locks what it checks so that two users at once cannot break a rule together.
The money rules are checked here with a Vietnamese message, and again by PostgreSQL triggers
(migration 0002) as the last line."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from beneficiaries.models import PriorityWeight, SupportRequest
from khuyencong.history import edited_since
from khuyencong.money import format_vnd
from khuyencong.roles import is_officer
from khuyencong.saving import RuleBroken, deleted, refuse_sent_twice, saved
from khuyencong.text import nfc
from khuyencong.uploads import (
    DOCUMENT_TYPES,
    JPEG,
    PNG,
    batch_errors,
    check_upload,
    display_name,
    stored_name,
)
from khuyencong.workflow import TransitionRefused, run_transition

from . import caps
from .models import (
    ACCEPTANCE_GATES,
    ITEMS_ABOVE_CAPS,
    Acceptance,
    AcceptanceWaiver,
    Contract,
    Disbursement,
    Inspection,
    Plan,
    RuleException,
    Scheme,
    SchemeBeneficiary,
    SchemeDocument,
    SchemeItem,
)
from .photos import thumbnail_dispatch_on_commit

S = Scheme.Status
# When each kind of record may be written, by the scheme's status.
BENEFICIARIES_OPEN = (S.PROPOSED, S.APPROVED)  # a group's facilities may be fixed after approval
ITEMS_OPEN = (S.PROPOSED,)
# Before acceptance at most this share of a contract is paid out; the rest after acceptance.
ADVANCE_PERCENT = 70
# A facility funded for the same activity within this many years is worth a second look.
DOUBLE_FUNDING_YEARS = 3
CONTRACTS_OPEN = (S.APPROVED, S.CONTRACTED, S.IN_PROGRESS)
PAYMENTS_OPEN = (S.APPROVED, S.CONTRACTED, S.IN_PROGRESS, S.AWAITING_ACCEPTANCE, S.ACCEPTED)
INSPECTIONS_OPEN = (S.CONTRACTED, S.IN_PROGRESS, S.AWAITING_ACCEPTANCE)
ACCEPTANCE_OPEN = (S.AWAITING_ACCEPTANCE,)
# Once approved, a scheme's money and identity come from its decision; these may still change.
EDITABLE_AFTER_APPROVAL = ("title", "implementing_body", "start_date", "end_date", "description")
PHOTO_TYPES = (JPEG, PNG)
# A record submitted for approval is the manager's to decide: the officer changes it once sent
# back. Its items and beneficiaries are closed too (ITEMS_OPEN, BENEFICIARIES_OPEN).
SUBMITTED_READ_ONLY = (
    "Đề án đang chờ lãnh đạo phê duyệt nên không sửa được; nếu cần sửa, đề nghị lãnh đạo "
    "trả lại để hoàn thiện."
)


def require_officer(user):
    if not is_officer(user):
        raise PermissionDenied("Chỉ cán bộ Trung tâm Khuyến công, Sở Công Thương được ghi.")


def _locked_scheme(scheme_id, open_in=None, doing=""):
    scheme = Scheme.objects.select_for_update().get(pk=scheme_id)
    if open_in is not None and scheme.status not in open_in:
        raise RuleBroken(
            f"Không thể {doing} khi đề án đang ở trạng thái “{scheme.get_status_display()}”."
        )
    return scheme


# Plans


def plan_save(plan, *, user):
    """Save a plan validated by its form: a draft only (one submitted waits for the manager, one
    approved is fixed by its decision)."""
    require_officer(user)
    if plan.pk and Plan.objects.get(pk=plan.pk).status != Plan.Status.DRAFT:
        raise RuleBroken(PLAN_READ_ONLY)
    return saved(plan, user, "Lập kế hoạch" if plan.pk is None else "Sửa kế hoạch")


PLAN_READ_ONLY = (
    "Kế hoạch đã trình hoặc đã được phê duyệt nên không sửa được; kế hoạch đang chờ phê duyệt "
    "chỉ sửa được sau khi lãnh đạo trả lại để hoàn thiện."
)


def plan_transition(*, plan_id, name, user, **inputs):
    """Run a step of a plan's life cycle with its inputs (declared on Plan's transitions)."""
    return run_transition(
        Plan, plan_id, name, user, queryset=Plan.objects.visible_to(user), **inputs
    )


def priority_weights_save(weights, *, user):
    """Set the province's weight of each priority criterion ({flag: 0..10})."""
    require_officer(user)
    with transaction.atomic():
        for flag, weight in weights.items():
            row, _ = PriorityWeight.objects.select_for_update().get_or_create(flag=flag)
            if row.weight != weight:
                row.weight = weight
                saved(row, user, "Đặt trọng số")


# Schemes


def scheme_save(scheme, *, user):
    """Save a scheme validated by its form. Returns the scheme and, if the plan's schemes now
    take more than its budget, a warning for the user (the plan's approval refuses it)."""
    require_officer(user)
    if scheme.pk and scheme.is_closed:
        raise RuleBroken("Đề án đã nghiệm thu, quyết toán hoặc đã hủy nên không sửa được nữa.")
    if scheme.pk and scheme.status == S.SUBMITTED:
        raise RuleBroken(SUBMITTED_READ_ONLY)
    saved(scheme, user, "Lập đề án" if scheme.pk is None else "Sửa đề án")
    plan = scheme.plan
    allocated = plan.allocated_total()
    warning = ""
    if allocated > plan.budget:
        warning = (
            f"Tổng kinh phí các đề án của kế hoạch ({format_vnd(allocated)}) vượt kinh phí được "
            f"giao ({format_vnd(plan.budget)}); kế hoạch sẽ không được phê duyệt như vậy."
        )
    return scheme, warning


def scheme_transition(*, scheme_id, name, user, **inputs):
    """Run a life-cycle step (approve, mark_contracted, start, …) on a scheme the user sees,
    with its inputs (declared on Scheme's transitions)."""
    return run_transition(
        Scheme,
        scheme_id,
        name,
        user,
        queryset=Scheme.objects.visible_to(user),
        check=_within_caps_on_decision_date if name == "approve" else None,
        **inputs,
    )


def _within_caps_on_decision_date(scheme, *, decision_date, **_inputs):
    """The caps an approval must respect are those valid on its decision's date, known only
    once the manager types it."""
    if caps.uncovered_breaches(scheme, day=decision_date):
        raise TransitionRefused(ITEMS_ABOVE_CAPS)


def acceptance_waiver_record(*, scheme, user, reason):
    """Record an officer's exception to the gates of a request for acceptance that are unmet
    now (those it names), with his reason; refused when none is unmet."""
    require_officer(user)
    reason = nfc(reason or "").strip()
    if not reason:
        raise RuleBroken("Cần nêu lý do đề nghị nghiệm thu khi chưa đủ điều kiện.")
    with transaction.atomic():
        locked = _locked_scheme(scheme.pk, (S.IN_PROGRESS,), "ghi nhận ngoại lệ đề nghị nghiệm thu")
        unmet = [gate for gate, condition in ACCEPTANCE_GATES.items() if not condition(locked)]
        if not unmet:
            raise RuleBroken("Đề án đã đủ điều kiện đề nghị nghiệm thu, không cần ngoại lệ.")
        waiver = AcceptanceWaiver(scheme=locked, gates=unmet, reason=reason, recorded_by=user)
        return saved(waiver, user, "Ghi nhận ngoại lệ đề nghị nghiệm thu")  # the reason: its row


def may_grant_exceptions(user):
    return user.is_active and user.has_perm("schemes.add_ruleexception")


def scheme_item_add(
    *,
    scheme,
    user,
    activity_type,
    description,
    support_amount,
    counterpart=0,
    basis="",
    exception_reason="",
    form_token=None,
):
    """Add an item within its support cap, or above it with an exception and its reason when
    the user may grant one."""
    require_officer(user)
    with transaction.atomic():
        locked = _locked_scheme(scheme.pk, ITEMS_OPEN, "thêm hạng mục")
        refuse_sent_twice(SchemeItem, form_token)
        total = (locked.items.aggregate(s=Sum("support_amount"))["s"] or 0) + support_amount
        if total > locked.budget:
            raise RuleBroken(
                f"Tổng các hạng mục ({format_vnd(total)}) vượt kinh phí khuyến công của đề án "
                f"({format_vnd(locked.budget)})."
            )
        over = caps.breach(
            locked,
            activity_type=activity_type,
            support_amount=support_amount,
            counterpart=counterpart,
            basis=basis,
        )
        exception_reason = nfc(exception_reason)  # as stored: invisible characters are dropped
        if over and not (exception_reason and may_grant_exceptions(user)):
            hint = (
                " Nếu có căn cứ, ghi lý do vào ô “Lý do vượt định mức” để ghi nhận ngoại lệ."
                if may_grant_exceptions(user)
                else " Chỉ cán bộ được phân quyền mới ghi nhận được ngoại lệ."
            )
            raise RuleBroken(over.message + hint)
        item = SchemeItem(
            scheme=locked,
            activity_type=activity_type,
            description=description,
            basis=basis,
            support_amount=support_amount,
            counterpart_amount=counterpart,
            form_token=form_token,
        )
        item = saved(item, user, "Thêm hạng mục")
        if over:
            exception = RuleException(
                scheme=locked,
                item=item,
                rule=over.rule,
                allowed_amount=over.allowed,
                granted_amount=over.requested,  # the group of items, as checked
                reason=exception_reason,
                recorded_by=user,
            )
            saved(exception, user, f"Ngoại lệ định mức: {exception_reason}")
        return item


def scheme_item_remove(item, *, user):
    require_officer(user)
    with transaction.atomic():
        _locked_scheme(item.scheme_id, ITEMS_OPEN, "xóa hạng mục")
        deleted(item, user, "Xóa hạng mục")


# Beneficiaries


def _check_beneficiaries_budget(scheme, others_total, support_amount):
    if others_total + support_amount > scheme.budget:
        raise RuleBroken(
            f"Kinh phí hỗ trợ các cơ sở ({format_vnd(others_total + support_amount)}) vượt kinh "
            f"phí khuyến công của đề án ({format_vnd(scheme.budget)})."
        )


def beneficiary_add(
    *,
    scheme,
    facility,
    user,
    support_amount,
    counterpart=0,
    request=None,
    declared=True,
    form_token=None,
):
    """Put a facility into a scheme; the beneficiaries' support may never exceed the budget."""
    require_officer(user)
    with transaction.atomic():
        locked = _locked_scheme(scheme.pk, BENEFICIARIES_OPEN, "thêm cơ sở thụ hưởng")
        refuse_sent_twice(SchemeBeneficiary, form_token)
        if locked.beneficiaries.filter(facility=facility).exists():
            raise RuleBroken(f"Cơ sở “{facility.name}” đã có trong đề án.")
        _check_beneficiaries_budget(locked, locked.beneficiaries_support_total(), support_amount)
        link = SchemeBeneficiary(
            scheme=locked,
            facility=facility,
            request=request,
            support_amount=support_amount,
            counterpart_amount=counterpart,
            no_other_state_funding=declared,
            form_token=form_token,
        )
        saved(link, user, "Thêm cơ sở thụ hưởng")
        _caps_still_held(locked)
        return link


def _caps_still_held(scheme):
    """Once approved, a change of the beneficiaries may not leave an item above its cap (a
    facility fewer, or one outside the priority areas, lowers what a cap allows)."""
    if scheme.status == S.PROPOSED:
        return
    for _rule, over in caps.uncovered_breaches(scheme):
        raise RuleBroken(f"Không thể thay đổi: {over.message}")


def beneficiary_declare(link, *, user):
    """Record the facility's declaration that no other state source funds the item; possible
    while contracts may still be signed."""
    require_officer(user)
    with transaction.atomic():
        _locked_scheme(link.scheme_id, (*BENEFICIARIES_OPEN, *CONTRACTS_OPEN), "ghi nhận cam kết")
        link = SchemeBeneficiary.objects.select_for_update().get(pk=link.pk)
        link.no_other_state_funding = True
        return saved(link, user, "Ghi nhận cam kết không nhận hỗ trợ trùng")


def beneficiary_update(link, *, user, support_amount, counterpart, declared, version=""):
    """Change a beneficiary's money; `version`, that of the row the form showed, refuses a
    change over a colleague's saved since (see khuyencong.history.edited_since)."""
    require_officer(user)
    with transaction.atomic():
        locked = _locked_scheme(link.scheme_id, BENEFICIARIES_OPEN, "sửa cơ sở thụ hưởng")
        link = SchemeBeneficiary.objects.select_for_update().get(pk=link.pk)
        if stale := edited_since(link, version):
            raise RuleBroken(stale)
        others = locked.beneficiaries.exclude(pk=link.pk).aggregate(s=Sum("support_amount"))["s"]
        _check_beneficiaries_budget(locked, others or 0, support_amount)
        link.support_amount = support_amount
        link.counterpart_amount = counterpart
        link.no_other_state_funding = declared
        saved(link, user, "Sửa kinh phí cơ sở thụ hưởng")
        _caps_still_held(locked)
        return link


def beneficiary_remove(link, *, user):
    """Take a facility out of a scheme without a contract; its request goes back to review."""
    require_officer(user)
    with transaction.atomic():
        locked = _locked_scheme(link.scheme_id, BENEFICIARIES_OPEN, "bỏ cơ sở thụ hưởng")
        if link.contracts.exists():
            raise RuleBroken("Cơ sở đã có hợp đồng nên không bỏ khỏi đề án được.")
        request_id = link.request_id
        deleted(link, user, "Bỏ cơ sở khỏi đề án")
        _caps_still_held(locked)
        if request_id:
            run_transition(SupportRequest, request_id, "return_to_review", user, from_service=True)


# Contracts and money


def contract_sign(
    *,
    scheme,
    user,
    number,
    signed_on,
    value,
    party_name,
    beneficiary=None,
    form_token=None,
    **extra,
):
    """Record a signed contract: with a beneficiary of the scheme (one each), or a supplier."""
    require_officer(user)
    with transaction.atomic():
        locked = _locked_scheme(scheme.pk, CONTRACTS_OPEN, "ký hợp đồng")
        refuse_sent_twice(Contract, form_token)
        if locked.contracts.filter(number=number).exists():
            raise RuleBroken(f"Đề án đã có hợp đồng số {number}.")
        contracted = locked.contracted_total()
        if contracted + value > locked.budget:
            raise RuleBroken(
                f"Tổng giá trị hợp đồng ({format_vnd(contracted + value)}) vượt kinh phí khuyến "
                f"công của đề án ({format_vnd(locked.budget)})."
            )
        if beneficiary is not None:
            if beneficiary.scheme_id != locked.pk:
                raise RuleBroken("Cơ sở thụ hưởng không thuộc đề án này.")
            if beneficiary.contracts.exists():
                raise RuleBroken(f"Cơ sở “{beneficiary.facility.name}” đã có hợp đồng.")
            if not beneficiary.no_other_state_funding:
                raise RuleBroken(
                    f"Cơ sở “{beneficiary.facility.name}” chưa cam kết không nhận hỗ trợ trùng "
                    "từ nguồn ngân sách nhà nước khác; ghi nhận cam kết trước khi ký hợp đồng."
                )
            if value > beneficiary.support_amount:
                raise RuleBroken(
                    f"Giá trị hợp đồng vượt kinh phí hỗ trợ của cơ sở "
                    f"({format_vnd(beneficiary.support_amount)})."
                )
        contract = Contract(
            scheme=locked,
            beneficiary=beneficiary,
            number=number,
            signed_on=signed_on,
            value=value,
            party_name=party_name,
            form_token=form_token,
            **extra,
        )
        return saved(contract, user, "Ký hợp đồng")


def disbursement_record(
    *, contract, user, kind, paid_on, amount, document_number="", note="", form_token=None
):
    """Record money paid out; what is paid on a contract may never exceed its value, and the
    settlement payment comes only after acceptance."""
    require_officer(user)
    with transaction.atomic():
        scheme = _locked_scheme(contract.scheme_id, PAYMENTS_OPEN, "ghi tạm ứng, thanh toán")
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        refuse_sent_twice(Disbursement, form_token)
        if kind == Disbursement.Kind.SETTLEMENT and scheme.status != S.ACCEPTED:
            raise RuleBroken("Chỉ chi quyết toán sau khi đề án đã được nghiệm thu.")
        if paid_on < locked.signed_on:
            raise RuleBroken(
                f"Ngày chi {paid_on:%d/%m/%Y} trước ngày ký hợp đồng {locked.number} "
                f"({locked.signed_on:%d/%m/%Y})."
            )
        paid = locked.disbursements.aggregate(s=Sum("amount"))["s"] or 0
        if scheme.status not in (S.ACCEPTED, S.SETTLED):
            ceiling = locked.value * ADVANCE_PERCENT // 100
            if paid + amount > ceiling:
                raise RuleBroken(
                    f"Trước nghiệm thu chỉ được tạm ứng, thanh toán tối đa {ADVANCE_PERCENT} % giá "
                    f"trị hợp đồng {locked.number} ({format_vnd(ceiling)}): đã chi "
                    f"{format_vnd(paid)}, còn được chi {format_vnd(max(ceiling - paid, 0))}; "
                    "phần còn lại chi sau khi nghiệm thu."
                )
        if paid + amount > locked.value:
            raise RuleBroken(
                f"Số tiền chi vượt giá trị hợp đồng {locked.number}: đã chi {format_vnd(paid)}, "
                f"còn được chi {format_vnd(locked.value - paid)}."
            )
        row = Disbursement(
            contract=locked,
            kind=kind,
            paid_on=paid_on,
            amount=amount,
            document_number=document_number,
            note=note,
            form_token=form_token,
        )
        return saved(row, user, Disbursement.Kind(kind).label)


def inspection_record(*, scheme, user, photos=(), form_token=None, **fields):
    """Record a monitoring visit and its photos (JPEG or PNG, checked by content)."""
    require_officer(user)
    for photo in photos:
        check_upload(photo, allowed=PHOTO_TYPES)
    with transaction.atomic():
        locked = _locked_scheme(scheme.pk, INSPECTIONS_OPEN, "ghi kết quả kiểm tra")
        refuse_sent_twice(Inspection, form_token)
        inspection = Inspection(scheme=locked, form_token=form_token, **fields)
        inspection = saved(inspection, user, "Ghi kết quả kiểm tra")
        for number, photo in enumerate(photos, start=1):
            stored = _store(
                SchemeDocument(
                    scheme=locked,
                    inspection=inspection,
                    title=f"Ảnh kiểm tra {inspection.inspected_on:%d/%m/%Y} ({number})",
                ),
                photo,
                user,
                PHOTO_TYPES,
            )
            thumbnail_dispatch_on_commit(stored.pk)
        return inspection


def acceptance_record(
    *,
    scheme,
    user,
    held_on,
    committee,
    result,
    accepted_amount,
    minutes=None,
    note="",
    form_token=None,
):
    """Record an acceptance review with its signed minutes; the accepted amount may never
    exceed the approved budget."""
    require_officer(user)
    if minutes is not None:
        _type, extension, _label = check_upload(minutes)
    with transaction.atomic():
        locked = _locked_scheme(scheme.pk, ACCEPTANCE_OPEN, "ghi biên bản nghiệm thu")
        refuse_sent_twice(Acceptance, form_token)
        if result == Acceptance.Result.PASSED and accepted_amount > locked.budget:
            raise RuleBroken(
                f"Kinh phí nghiệm thu ({format_vnd(accepted_amount)}) vượt kinh phí khuyến công "
                f"đã phê duyệt ({format_vnd(locked.budget)})."
            )
        accepted_amount = Acceptance.amount_for(result, accepted_amount)
        row = Acceptance(
            scheme=locked,
            held_on=held_on,
            committee=committee,
            result=result,
            accepted_amount=accepted_amount,
            recorded_by=user,
            note=note,
            form_token=form_token,
        )
        if minutes is not None:
            minutes.seek(0)
            row.minutes.save(stored_name("acceptance", extension), minutes, save=False)
        return saved(row, user, "Ghi biên bản nghiệm thu")


# Documents


def _store(document, upload, user, allowed=DOCUMENT_TYPES):
    document.store(upload, user=user, folder="schemes", allowed=allowed)
    with document.kept_if_saved():
        return saved(document, user, "Tải lên tài liệu")


def scheme_document_add(
    *, scheme, upload, user, kind=None, beneficiary=None, title="", form_token=None
):
    """Add a file to the scheme's dossier, or to one beneficiary's, checked by content."""
    require_officer(user)
    if beneficiary is not None and beneficiary.scheme_id != scheme.pk:
        raise RuleBroken("Cơ sở thụ hưởng không thuộc đề án này.")
    with transaction.atomic():
        locked = _locked_scheme(scheme.pk)
        refuse_sent_twice(SchemeDocument, form_token)  # before its file is stored
        if locked.status == S.CANCELLED:
            raise RuleBroken("Đề án đã hủy, không thêm tài liệu được.")
        document = SchemeDocument(
            scheme=locked,
            beneficiary=beneficiary,
            kind=kind,
            title=title or (kind.name if kind else display_name(upload.name)),
            form_token=form_token,
        )
        return _store(document, upload, user)


def scheme_dossier_upload(*, scheme, uploads, user, form_token=None):
    """Several files of the scheme's dossier at once, each with its kind ([(upload, kind or
    None)]): all stored, or none when one is refused. The first keeps the form's token."""
    require_officer(user)
    if errors := batch_errors([upload for upload, _kind in uploads]):
        raise ValidationError(errors)
    stored = []
    try:
        with transaction.atomic():
            locked = _locked_scheme(scheme.pk)
            refuse_sent_twice(SchemeDocument, form_token)
            if locked.status == S.CANCELLED:
                raise RuleBroken("Đề án đã hủy, không thêm tài liệu được.")
            for number, (upload, kind) in enumerate(uploads):
                document = SchemeDocument(
                    scheme=locked,
                    kind=kind,
                    title=kind.name if kind else display_name(upload.name),
                    form_token=form_token if number == 0 else None,
                )
                document.store(upload, user=user, folder="schemes")
                stored.append(document)
                saved(document, user, "Tải lên tài liệu")
    except BaseException:
        for document in stored:
            document.file.delete(save=False)
        raise
    return stored


def scheme_document_delete(document, *, user):
    require_officer(user)
    with transaction.atomic():
        scheme = _locked_scheme(document.scheme_id)
        if scheme.is_closed:
            raise RuleBroken("Đề án đã khép lại: tài liệu trong hồ sơ không xóa được.")
        file = document.file
        deleted(document, user, "Xóa tài liệu")
        transaction.on_commit(lambda: file.storage.delete(file.name))


def double_funding(scheme, facility):
    """Schemes of the last years that already funded this facility for the same activity:
    a warning, not a refusal (the beneficiary's declaration is what binds)."""
    year = scheme.plan.year
    return list(
        SchemeBeneficiary.objects.filter(
            facility=facility,
            scheme__activity_type=scheme.activity_type,
            scheme__plan__year__gte=year - DOUBLE_FUNDING_YEARS,
            scheme__plan__year__lte=year,
        )
        .exclude(scheme=scheme)
        .exclude(scheme__status=S.CANCELLED)
        .select_related("scheme__plan")
        .order_by("-scheme__plan__year")
    )


def double_funding_warning(scheme, facility):
    earlier = double_funding(scheme, facility)
    if not earlier:
        return ""
    named = ", ".join(f"{b.scheme.code} (năm {b.scheme.plan.year})" for b in earlier)
    return (
        f"Lưu ý: cơ sở “{facility.name}” đã được hỗ trợ cùng nội dung "
        f"“{scheme.activity_type.name}” trong năm nay hoặc {DOUBLE_FUNDING_YEARS} năm trước: "
        f"{named}. "
        "Hãy kiểm tra để không hỗ trợ trùng."
    )
