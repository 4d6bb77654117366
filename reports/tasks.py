"""Background work of the reports app. Tasks take ids and are safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def generate_quarterly_report(report_id):
    services.report_generate(report_id=report_id)


@shared_task(ignore_result=True)
def sweep_reports():
    """Run by beat every minute: the outbox of report requests."""
    return services.reports_sweep()


@shared_task(ignore_result=True)
def quarter_end_report():
    """Run by beat on the first day of each quarter for the quarter just ended."""
    report = services.quarter_end_report()
    return report.pk if report else None
