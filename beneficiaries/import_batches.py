"""Spreadsheet imports as batches the worker checks and applies.

A web request only does what costs little whatever the file holds (the checks of
`check_sheet_file`) and stores the file; reading every row, checking it and writing run in the
Celery worker, and the preview page follows the batch's status. So a heavy or hostile sheet
holds a worker process, never a web worker, and each user has at most one batch waiting or
running at a time (the constraint `import_one_in_flight_per_user`).

The tasks guard themselves: each takes its batch with a row lock (a second delivery of the same
message finds it locked, or done, and leaves) and a worker killed mid-way loses its connection
and so the lock; the sweep sends again what waited too long.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from khuyencong.dates import format_datetime_vn
from khuyencong.spreadsheets import check_sheet_file, read_sheet
from khuyencong.uploads import XLSX, display_name, stored_name
from khuyencong.workflow import TransitionRefused

from .imports import ImportRefused, run_import
from .models import ImportBatch
from .services import may_import

log = logging.getLogger(__name__)
Status = ImportBatch.Status

# What the preview page keeps of an outcome: the whole file may have 20,000 rows with an
# error in each cell; the page shows the first ones and says how many there are.
SHOWN_ROWS = 200
SHOWN_ERRORS = 500


class ImportBusy(Exception):
    """The user already has a batch waiting or running: `batch` is that one."""

    def __init__(self, batch):
        self.batch = batch
        super().__init__(
            f"Tệp “{batch.original_name}” của bạn {batch.get_status_display().lower()}; "
            "xin chờ tệp đó xong rồi gửi tệp khác."
        )


def in_flight_for(user):
    return ImportBatch.objects.filter(user=user, status__in=ImportBatch.IN_FLIGHT).first()


def import_upload(*, kind, upload, user):
    """Store an uploaded spreadsheet and queue its check. Refuses (ValidationError) what is not
    an .xlsx within the limits, and (ImportBusy) a second file while one is in flight."""
    if not may_import(kind, user):
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu này.")
    check_sheet_file(upload)
    busy = in_flight_for(user)
    if busy:
        raise ImportBusy(busy)
    batch = ImportBatch(kind=kind, user=user, original_name=display_name(upload.name))
    batch.file.save(stored_name("imports", XLSX[1]), upload, save=False)
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:  # another upload of this user committed in between
        batch.file.delete(save=False)
        raise ImportBusy(in_flight_for(user) or batch) from None
    transaction.on_commit(lambda pk=batch.pk: import_dispatch(batch_id=pk))
    return batch


def import_confirm(*, batch_id, user):
    """Queue the writing of a checked batch without errors. A second confirmation (a double
    click, a resend) finds it applying or applied and queues nothing more."""
    batch = ImportBatch.objects.get(pk=batch_id, user=user)
    if not may_import(batch.kind, user):
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu này.")
    ready = Q(pk=batch_id, status=Status.CHECKED, result__error_count=0)
    try:
        with transaction.atomic():
            taken = ImportBatch.objects.filter(ready).update(
                status=Status.APPLYING, dispatched_at=None
            )
    except IntegrityError:  # another batch of this user is in flight
        raise ImportBusy(in_flight_for(user)) from None
    if not taken:
        batch.refresh_from_db()
        if batch.status == Status.APPLIED:
            when = format_datetime_vn(batch.applied_at)
            raise TransitionRefused(f"Tệp này đã được nhập lúc {when}; không nhập lại lần nữa.")
        if batch.status != Status.APPLYING:
            raise TransitionRefused("Tệp chưa kiểm tra xong hoặc còn lỗi nên chưa nhập được.")
        return batch  # already on its way
    transaction.on_commit(lambda: import_dispatch(batch_id=batch_id))
    batch.status = Status.APPLYING
    return batch


def import_dispatch(*, batch_id):
    """Send the batch's next step to the worker. A broker that is down leaves it waiting for
    the sweep."""
    from .tasks import run_import_batch

    try:
        run_import_batch.apply_async(args=[str(batch_id)], retry=False)
    except Exception:
        log.exception("import %s: broker unavailable, left waiting", batch_id)
        return False
    ImportBatch.objects.filter(pk=batch_id).update(dispatched_at=timezone.now())
    return True


def import_run(*, batch_id):
    """In the worker: check a queued batch, or write an applying one; anything else (done,
    or being done by another delivery) is left alone."""
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(pk=batch_id, status__in=(Status.QUEUED, Status.APPLYING))
            .first()
        )
        if batch is None:
            return None
        applying = batch.status == Status.APPLYING
        try:
            if not may_import(batch.kind, batch.user):
                raise ValidationError("Bạn không còn quyền nhập dữ liệu này.")
            outcome = run_import(batch.kind, _dataset(batch), user=batch.user, dry_run=not applying)
        except (ValidationError, ImportRefused) as error:
            batch.status, batch.result = Status.REFUSED, {"refused": _message(error)}
        else:
            batch.result = outcome_summary(outcome)
            batch.status = Status.APPLIED if applying and outcome.ok else Status.CHECKED
            if batch.status == Status.APPLIED:
                batch.applied_at = timezone.now()
                batch.created, batch.updated = outcome.created, outcome.updated
        batch.save()
    return batch.status


def _dataset(batch):
    try:
        with batch.file.open("rb") as file:
            return read_sheet(file)
    except FileNotFoundError as missing:
        raise ValidationError(
            "Tệp đã tải lên không còn trên máy chủ; hãy tải lên lại.", code="gone"
        ) from missing


def _message(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def outcome_summary(outcome):
    """What the preview page shows of an outcome, as JSON."""
    return {
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "row_count": len(outcome.rows),
        "rows": outcome.rows[:SHOWN_ROWS],
        "error_count": len(outcome.errors),
        "errors": outcome.errors[:SHOWN_ERRORS],
    }


def imports_sweep(*, now=None):
    """Send again the batches whose message may be lost: waiting and never sent (the broker
    was down), or sent longer ago than any run may take (a worker died). Returns how many."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.REPORT_STALE_SECONDS)
    lost = ImportBatch.objects.filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale),
        status__in=(Status.QUEUED, Status.APPLYING),
    )
    return sum(import_dispatch(batch_id=pk) for pk in lost.values_list("pk", flat=True))
