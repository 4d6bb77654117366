"""Writes on facilities, support requests and their documents. Views, imports, commands and
tests call these; none of them saves these models another way."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from khuyencong.roles import can_edit_facilities, is_district
from khuyencong.saving import authored, deleted, save_once
from khuyencong.uploads import display_name
from khuyencong.workflow import TransitionRefused, run_transition

from .models import Document, ImportBatch, SupportRequest


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
        raise PermissionDenied("Chỉ cán bộ cấp huyện nhập đăng ký nhu cầu.")
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


# While the province has not decided, the district may still complete the dossier.
DOSSIER_OPEN = (
    SupportRequest.Status.DRAFT,
    SupportRequest.Status.SUBMITTED,
    SupportRequest.Status.UNDER_REVIEW,
)


def document_add(*, facility, upload, user, kind=None, request=None, title=""):
    """Store an uploaded file for a facility or one of its requests, checked by content."""
    if not can_edit_facilities(user):
        raise PermissionDenied("Bạn không có quyền tải tài liệu lên.")
    if request is not None and request.status not in DOSSIER_OPEN:
        raise TransitionRefused("Hồ sơ của đăng ký này đã khép lại, không thêm tài liệu được.")
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


def document_delete(document, *, user):
    """Remove a document; a dossier document only while its request is a draft."""
    if not can_edit_facilities(user):
        raise PermissionDenied("Bạn không có quyền xóa tài liệu.")
    if document.request_id and not document.request.is_editable:
        raise TransitionRefused("Đăng ký đã gửi: tài liệu trong hồ sơ không xóa được.")
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
