"""Background work of the beneficiaries app. Tasks take ids and are safe to run twice."""

from celery import shared_task

from . import import_batches


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_import_batch(batch_id):
    """Check an uploaded spreadsheet, or write a confirmed one."""
    import_batches.import_run(batch_id=batch_id)


@shared_task(ignore_result=True)
def sweep_imports():
    """Run by beat every minute: the outbox of import batches."""
    return import_batches.imports_sweep()
