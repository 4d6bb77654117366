"""Spreadsheet imports: upload, follow the worker's check, preview every row and error, confirm."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from khuyencong.responses import require
from khuyencong.workflow import TransitionRefused

from .. import import_batches, services
from ..forms import ImportUploadForm
from ..models import ImportBatch

PAGES = {
    ImportBatch.Kind.FACILITIES: {
        "title": "Nhập cơ sở CNNT từ Excel",
        "template_url": "beneficiaries:facility_template",
        "back_url": "beneficiaries:facility_list",
        "upload_url": "beneficiaries:facility_import",
        # The menu item of the list the import feeds (the preview's URL names neither).
        "nav_active": "facilities",
    },
    ImportBatch.Kind.REQUESTS: {
        "title": "Nhập đăng ký nhu cầu từ Excel",
        "template_url": "beneficiaries:request_template",
        "back_url": "beneficiaries:request_list",
        "upload_url": "beneficiaries:request_import",
        "nav_active": "requests",
    },
}


def import_upload(request, kind):
    require(services.may_import(kind, request.user), "Bạn không có quyền nhập dữ liệu này.")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_batches.import_upload(
                kind=kind, upload=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        except import_batches.ImportBusy as busy:
            messages.info(request, str(busy))
            return redirect("beneficiaries:import_preview", pk=busy.batch.pk)
        else:
            return redirect("beneficiaries:import_preview", pk=batch.pk)
    return render(
        request, "beneficiaries/import_upload.html", {"form": form, "kind": kind, **PAGES[kind]}
    )


def import_preview(request, pk):
    """The batch as the worker left it: being checked, the rows it would create or change and
    every error, being written, or written. Confirming posts here; the page follows the batch
    (htmx) while the worker has it."""
    batch = get_object_or_404(ImportBatch, pk=pk, user=request.user)
    require(services.may_import(batch.kind, request.user), "Bạn không có quyền nhập dữ liệu này.")
    if request.method == "POST":
        try:
            import_batches.import_confirm(batch_id=batch.pk, user=request.user)
        except TransitionRefused as refusal:
            messages.info(request, str(refusal))
        except import_batches.ImportBusy as busy:
            messages.info(request, str(busy))
            return redirect("beneficiaries:import_preview", pk=busy.batch.pk)
        return redirect("beneficiaries:import_preview", pk=batch.pk)
    result = batch.result
    context = {
        "batch": batch,
        "result": result,
        "more_rows": max(result.get("row_count", 0) - len(result.get("rows", ())), 0),
        "more_errors": max(result.get("error_count", 0) - len(result.get("errors", ())), 0),
        **PAGES[batch.kind],
    }
    return render(request, "beneficiaries/import_preview.html", context)
