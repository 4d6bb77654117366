"""Background work of the reports app. Tasks take ids and are safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def generate_quarterly_report(report_id):
    services.report_generate(report_id=report_id)
