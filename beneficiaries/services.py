"""Writes on facilities, support requests and their documents. Views, imports, commands and
tests call these; none of them saves these models another way."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from khuyencong.roles import can_edit_facilities, is_district
from khuyencong.saving import authored, deleted, refuse_sent_twice, save_once
from khuyencong.scope import in_unit_q
from khuyencong.staff import SUCCESSION_REASON
from khuyencong.uploads import batch_errors, display_name
from khuyencong.workflow import TransitionRefused, run_transition

from .models import Document, Facility, ImportBatch, SupportRequest


def facility_save(facility, *, user, reason=""):
    """Save a facility validated by its form, with its author in the history."""
    if not can_edit_facilities(user):
        raise PermissionDenied("Bạn không có quyền sửa cơ sở.")
    if facility.pk is None:
        facility.created_by = user
    save_once(authored(facility, user, reason))
    return facility


def request_save(support_request, *, user):
    """Save a new or draft request validated by its form."""
    if not is_district(user):
        raise PermissionDenied(
            "Chỉ cán bộ cấp xã (trước 01/07/2025: cấp huyện) nhập đăng ký nhu cầu."
        )
    if support_request.pk is not None and not support_request.is_editable:
        raise TransitionRefused("Đăng ký đã gửi lên tỉnh nên không sửa được nữa.")
    if support_request.pk is None:
        support_request.created_by = user
    save_once(authored(support_request, user))
    return support_request


def request_transition(*, request_id, name, user, **inputs):
    """Run a step of a request's life cycle (submit, start_review, include, reject, withdraw)
    on a request the user sees, with its inputs (declared on SupportRequest's transitions)."""
    return run_transition(
        SupportRequest,
        request_id,
        name,
        user,
        queryset=SupportRequest.objects.visible_to(user),
        **inputs,
    )


def requests_reject(*, request_ids, reason, user):
    """Refuse several requests with one reason, all or nothing: each runs the request's own
    "Không chọn" step; if one is refused (already decided by a colleague, sent twice, out of
    scope), none is, and the message names it."""
    ids = list(dict.fromkeys(request_ids))
    if not ids:
        raise TransitionRefused("Hãy chọn ít nhất một đăng ký.")
    if not (reason or "").strip():
        raise TransitionRefused("Cần nêu lý do không chọn để cơ sở và huyện được biết.")
    visible = SupportRequest.objects.visible_to(user)
    with transaction.atomic():
        # Locked in one order, so two officers refusing overlapping lists do not deadlock.
        found = dict(
            visible.filter(pk__in=ids)
            .select_for_update(of=("self",))
            .order_by("pk")
            .values_list("pk", "facility__name")
        )
        if len(found) != len(ids):
            raise TransitionRefused(
                "Có đăng ký không còn trong phạm vi của bạn. Hãy tải lại trang và chọn lại."
            )
        refused = []
        for pk in sorted(ids):
            try:
                refused.append(
                    request_transition(request_id=pk, name="reject", user=user, reason=reason)
                )
            except TransitionRefused as refusal:
                raise TransitionRefused(
                    f"{found[pk]}: {refusal} Không đăng ký nào được ghi “Không chọn”; hãy tải "
                    "lại trang và chọn lại."
                ) from refusal
        return refused


@dataclass
class SuccessionMoves:
    """What facilities_move_to_successors did: the facilities moved (facility, from, to), and
    those it could not decide (facility, why), left where they are for a person to say."""

    moved: list = field(default_factory=list)
    undecided: list = field(default_factory=list)


def facility_move(*, facility, unit, user, reason=SUCCESSION_REASON):
    """Move one facility to another unit, with who and why in its history. Its past records
    keep the units of their day (the schemes' own units; the requests' and beneficiaries'
    scope_unit, kept by the database when a facility leaves an ended unit)."""
    facility.unit = unit
    return facility_save(facility, user=user, reason=reason)


def facilities_move_to_successors(*, user, units=None, mapping=None, split=(), day=None):
    """Move the facilities of ended units (of `units` and the units below them, or all) to the
    unit that holds their place today, following the successor links. `mapping` {facility id:
    unit} says where a facility goes where a unit split (a unit in `split`, or one that ended
    without successor); a facility nobody can place is listed as undecided, not guessed. Safe
    to run twice: a moved facility is in a current unit and is not looked at again."""
    day = day or timezone.localdate()
    mapping = mapping or {}
    split = {unit.pk for unit in split}
    facilities = Facility.objects.visible_to(user).filter(unit__valid_to__lt=day)
    if units is not None:
        in_units = Q()
        for unit in units:
            in_units |= in_unit_q(unit, "unit")
        facilities = facilities.filter(in_units)
    moves = SuccessionMoves()
    with transaction.atomic():
        for facility in facilities.select_related("unit").order_by("unit__path", "name_key"):
            old = facility.unit
            target, why = _successor_of(facility, mapping, split, day)
            if target is None:
                moves.undecided.append((facility, why))
                continue
            facility_move(facility=facility, unit=target, user=user)
            moves.moved.append((facility, old, target))
    return moves


def _successor_of(facility, mapping, split, day):
    """Where the facility goes, or None and why not."""
    unit = facility.unit
    if facility.pk in mapping:
        target = mapping[facility.pk]
        if not target.is_current_on(day):
            return None, f"{target.dated_label()} trong bảng chuyển đã hết hiệu lực."
        return target, ""
    if unit.pk in split:
        return None, f"{unit.dated_label()} đã chia tách: cần ghi cơ sở này trong bảng chuyển."
    target = unit.successor_on(day)
    if target is None:
        return None, (
            f"{unit.dated_label()} không có đơn vị kế thừa còn hiệu lực: cần ghi cơ sở này "
            "trong bảng chuyển."
        )
    return target, ""


# The dossier closes once the request is sent: what the province reviews does not change under
# its eyes. The officer's "Trả lại bổ sung" reopens it for the district, which sends it again.
DOSSIER_OPEN = SupportRequest.OPEN_TO_DISTRICT


def document_add(*, facility, upload, user, kind=None, request=None, title=""):
    """Store an uploaded file for a facility or one of its requests, checked by content."""
    if not can_edit_facilities(user):
        raise PermissionDenied("Bạn không có quyền tải tài liệu lên.")
    if request is not None and request.status not in DOSSIER_OPEN:
        raise TransitionRefused(
            "Đăng ký đã gửi lên tỉnh nên hồ sơ đã khép lại, không thêm tài liệu được "
            "(tỉnh có thể trả lại để bổ sung)."
        )
    document = Document(
        facility=facility,
        request=request,
        kind=kind,
        title=title or (kind.name if kind else display_name(upload.name)),
    )
    document.store(upload, user=user, folder="documents")
    authored(document, user)
    with document.kept_if_saved():
        document.full_clean()  # the title as stored may be longer than typed (NFC)
        document.save()
    return document


def dossier_upload(*, support_request, uploads, user, form_token=None):
    """Store several files of a request's dossier at once, each with its kind ([(upload, kind
    or None)]): all of them, or none when one is refused. The first document keeps the form's
    token, so the same form sent twice stores its files once (SentTwice)."""
    if not can_edit_facilities(user):
        raise PermissionDenied("Bạn không có quyền tải tài liệu lên.")
    if support_request.status not in DOSSIER_OPEN:
        raise TransitionRefused(
            "Đăng ký đã gửi lên tỉnh nên hồ sơ đã khép lại, không thêm tài liệu được "
            "(tỉnh có thể trả lại để bổ sung)."
        )
    if errors := batch_errors([upload for upload, _kind in uploads]):
        raise ValidationError(errors)
    stored = []
    try:
        with transaction.atomic():
            refuse_sent_twice(Document, form_token)
            for number, (upload, kind) in enumerate(uploads):
                document = Document(
                    facility=support_request.facility,
                    request=support_request,
                    kind=kind,
                    title=kind.name if kind else display_name(upload.name),
                    form_token=form_token if number == 0 else None,
                )
                document.store(upload, user=user, folder="documents")
                stored.append(document)
                authored(document, user, "Tải lên hồ sơ")
                document.full_clean(validate_unique=False)  # the token: save_once
                save_once(document)
    except BaseException:
        for document in stored:
            document.file.delete(save=False)
        raise
    return stored


def document_delete(document, *, user):
    """Remove a document; a dossier document only while its dossier is open (DOSSIER_OPEN)."""
    if not can_edit_facilities(user):
        raise PermissionDenied("Bạn không có quyền xóa tài liệu.")
    if document.request_id and not document.request.is_editable:
        raise TransitionRefused(
            "Đăng ký đã gửi lên tỉnh: tài liệu trong hồ sơ không xóa được "
            "(tỉnh có thể trả lại để bổ sung)."
        )
    file = document.file
    deleted(document, user)
    transaction.on_commit(lambda: file.storage.delete(file.name))


def may_import(kind, user):
    return is_district(user) if kind == ImportBatch.Kind.REQUESTS else can_edit_facilities(user)


def waiting_for_review(user):
    """How many requests in the user's scope wait for the province's decision, and the support
    they ask for: one query."""
    return (
        SupportRequest.objects.visible_to(user)
        .awaiting_decision()
        .aggregate(count=Count("pk"), support=Coalesce(Sum("support_requested"), 0))
    )
