"""Background work of the duties app: the daily reminders. Safe to run twice."""

import datetime

from celery import shared_task

from . import services


@shared_task(bind=True, ignore_result=True, max_retries=3, default_retry_delay=15 * 60)
def send_reminders(self, today=None):
    """Run by beat every morning. `today` (ISO date) only for tests and catching up by hand.
    E-mails that could not be sent are tried again a few times, a quarter of an hour apart."""
    day = datetime.date.fromisoformat(today) if today else None
    created, sent, left = services.reminders_send(today=day)
    if left and self.request.retries < self.max_retries:
        raise self.retry()
    return created, sent
