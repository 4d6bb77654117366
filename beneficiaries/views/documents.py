"""Documents of facilities and of request dossiers: upload, download (scope checked), delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from khuyencong.dossier_upload import dossier_batch
from khuyencong.responses import require, stored_file
from khuyencong.roles import can_edit_facilities
from khuyencong.scope import get_visible_or_404
from khuyencong.workflow import TransitionRefused

from .. import services
from ..forms import DocumentForm
from ..models import Document, DocumentKind, Facility, SupportRequest


def _upload(request, facility, support_request=None):
    require(can_edit_facilities(request.user), "Bạn không có quyền tải tài liệu lên.")
    kinds = (
        DocumentKind.objects.required_for(support_request.activity_type)
        if support_request
        else None
    )
    form = DocumentForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return
    try:
        document = services.document_add(
            facility=facility,
            request=support_request,
            kind=form.cleaned_data.get("kind"),
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Đã tải lên “{document.title}”.")


@require_POST
def facility_document_upload(request, pk):
    facility = get_visible_or_404(Facility, request.user, pk=pk)
    _upload(request, facility)
    return redirect("beneficiaries:facility_detail", pk=pk)


@require_POST
def request_document_upload(request, pk):
    support_request = get_visible_or_404(
        SupportRequest.objects.select_related("facility", "activity_type"), request.user, pk=pk
    )
    _upload(request, support_request.facility, support_request)
    return redirect("beneficiaries:request_detail", pk=pk)


@require_POST
def request_dossier_upload(request, pk):
    """Several files of a request's dossier in one sending, each with its kind."""
    support_request = get_visible_or_404(
        SupportRequest.objects.select_related("facility", "activity_type"), request.user, pk=pk
    )
    require(can_edit_facilities(request.user), "Bạn không có quyền tải tài liệu lên.")
    return dossier_batch(
        request,
        kinds=list(DocumentKind.objects.required_for(support_request.activity_type)),
        saves=Document,
        provided=support_request.documents.exclude(kind=None).values_list("kind_id", flat=True),
        store=lambda uploads, token: services.dossier_upload(
            support_request=support_request, uploads=uploads, user=request.user, form_token=token
        ),
        back_url=reverse("beneficiaries:request_detail", args=[pk]) + "#ho-so",
    )


def document_download(request, pk):
    document = get_visible_or_404(Document, request.user, pk=pk)
    return stored_file(document.file, document.title, document.content_type)


@require_POST
def document_delete(request, pk):
    document = get_visible_or_404(Document.objects.select_related("request"), request.user, pk=pk)
    back = (
        redirect("beneficiaries:request_detail", pk=document.request_id)
        if document.request_id
        else redirect("beneficiaries:facility_detail", pk=document.facility_id)
    )
    try:
        services.document_delete(document, user=request.user)
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Đã xóa “{document.title}”.")
    return back
