"""Spreadsheet imports: upload, preview every row and error, confirm in one transaction."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from khuyencong.responses import require
from khuyencong.workflow import TransitionRefused

from .. import services
from ..forms import ImportUploadForm
from ..imports import ImportRefused
from ..models import ImportBatch

PREVIEW_ROWS = 200

PAGES = {
    ImportBatch.Kind.FACILITIES: {
        "title": "Nhập cơ sở CNNT từ Excel",
        "template_url": "beneficiaries:facility_template",
        "back_url": "beneficiaries:facility_list",
        "upload_url": "beneficiaries:facility_import",
    },
    ImportBatch.Kind.REQUESTS: {
        "title": "Nhập đăng ký nhu cầu từ Excel",
        "template_url": "beneficiaries:request_template",
        "back_url": "beneficiaries:request_list",
        "upload_url": "beneficiaries:request_import",
    },
}


def import_upload(request, kind):
    require(services.may_import(kind, request.user), "Bạn không có quyền nhập dữ liệu này.")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_upload(
                kind=kind, upload=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("beneficiaries:import_preview", pk=batch.pk)
    return render(
        request, "beneficiaries/import_upload.html", {"form": form, "kind": kind, **PAGES[kind]}
    )


def import_preview(request, pk):
    """The rows the file would create or change, and every error, before anything is written.
    Confirming posts here."""
    batch = get_object_or_404(ImportBatch, pk=pk, user=request.user)
    require(services.may_import(batch.kind, request.user), "Bạn không có quyền nhập dữ liệu này.")
    if request.method == "POST":
        try:
            batch, outcome = services.import_apply(batch_id=batch.pk, user=request.user)
        except TransitionRefused as refusal:
            messages.info(request, str(refusal))
            return redirect(PAGES[batch.kind]["back_url"])
        except (ValidationError, ImportRefused) as error:
            return _preview(request, batch, refused=_message(error))
        if outcome.ok:
            messages.success(
                request,
                f"Đã nhập tệp “{batch.original_name}”: thêm {outcome.created}, sửa "
                f"{outcome.updated} dòng.",
            )
            return redirect(PAGES[batch.kind]["back_url"])
        return _preview(request, batch, outcome=outcome)
    if batch.applied_at:
        messages.info(request, "Tệp này đã được nhập.")
        return redirect(PAGES[batch.kind]["back_url"])
    try:
        outcome = services.import_preview(batch)
    except (ValidationError, ImportRefused) as error:
        return _preview(request, batch, refused=_message(error))
    return _preview(request, batch, outcome=outcome)


def _message(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def _preview(request, batch, outcome=None, refused=None):
    context = {
        "batch": batch,
        "outcome": outcome,
        "refused": refused,
        "rows": outcome.rows[:PREVIEW_ROWS] if outcome else [],
        "more_rows": max(len(outcome.rows) - PREVIEW_ROWS, 0) if outcome else 0,
        **PAGES[batch.kind],
    }
    return render(request, "beneficiaries/import_preview.html", context)
