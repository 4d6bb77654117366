"""The report task, run by a real Celery worker process on Redis, writes the PDF."""

import pytest
from django.db import transaction

from khuyencong.models import User
from reports import services
from reports.models import QuarterlyReport
from tests.conftest import pdf_text, wait_for

pytestmark = pytest.mark.slow  # a worker process


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_renders_the_quarterly_pdf(celery_worker, demo):
    manager = User.objects.get(username="manager")
    with transaction.atomic():
        report, _ = services.report_request(user=manager, year=2022, quarter=4, unit=manager.unit)

    def finished():
        report.refresh_from_db()
        return report.status in ("done", "failed")

    wait_for(finished, timeout=90)
    assert report.status == "done", report.error_message
    text = pdf_text(report.pdf.path)
    assert "1.200.000.000" in text
    assert "BÁO CÁO" in text and "Khuyến công quốc gia" in text
    assert QuarterlyReport.objects.get(pk=report.pk).dispatched_at is not None
