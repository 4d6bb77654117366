"""Nothing asked for is lost: a worker killed mid-report, a broker down at request time, and
the quarter-end schedule — each with real worker processes on Redis."""

import datetime
import os
import signal

import pytest
from django.db import transaction
from django.urls import reverse

from khuyencong.celery import app
from khuyencong.embedded import PrivateRedis
from khuyencong.models import User
from reports import services
from reports.models import QuarterlyReport
from tests.conftest import pdf_text, wait_for
from tests.services import FAST_SWEEP, broker_at

pytestmark = [pytest.mark.slow, pytest.mark.redis]


def _status(report):
    return QuarterlyReport.objects.values_list("status", flat=True).get(pk=report.pk)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_report_leaves_one_report_after_a_restart(
    workers, demo, media_root, tmp_path
):
    manager = User.objects.get(username="manager")
    first = workers()
    with transaction.atomic():
        report, _ = services.report_request(user=manager, year=2022, quarter=4, unit=manager.unit)
    wait_for(lambda: _status(report) == "running", timeout=60, interval=0.01)
    os.killpg(first.pid, signal.SIGSTOP)  # frozen in the middle of rendering…
    report.refresh_from_db()
    assert report.status == "running" and not report.pdf, "the report finished too soon"
    os.killpg(first.pid, signal.SIGKILL)  # …then killed, as by the OOM killer or a power cut
    first.wait()

    workers(env=FAST_SWEEP, beat_dir=tmp_path)
    wait_for(lambda: _status(report) in ("done", "failed"), timeout=90)
    report.refresh_from_db()
    assert report.status == "done", report.error_message
    assert report.attempts == 2
    assert sorted(p.name for p in (media_root / "reports").iterdir()) == [
        f"{report.pk}-bao-cao-quy-4-2022-08-lan-1.pdf",
        f"{report.pk}-bao-cao-quy-4-2022-08-lan-1.xlsx",
    ]
    assert "1.200.000.000" in pdf_text(report.pdf.path)
    assert QuarterlyReport.objects.count() == 1


@pytest.fixture
def broker_down():
    """This process sends tasks to a Redis of its own that is not running yet; `start()`
    starts it. The shared Redis of the machine is never touched."""
    redis = PrivateRedis()
    with broker_at(redis.url):
        yield redis
    redis.stop()


@pytest.mark.django_db(transaction=True)
def test_a_request_made_while_the_broker_is_down_is_made_once_it_is_back(
    workers, demo, broker_down, client, tmp_path
):
    manager = User.objects.get(username="manager")
    client.force_login(manager)
    page = client.post(
        reverse("reports:report_request"), {"year": 2022, "quarter": 4, "unit": ""}, follow=True
    )
    assert page.status_code == 200  # the manager is not shown an error…
    report = QuarterlyReport.objects.get()
    assert report.status == "queued" and report.dispatched_at is None  # …the request is kept
    assert "sẽ tự gửi lại" in page.text

    broker_down.start()
    workers(env={**FAST_SWEEP, "REDIS_URL": broker_down.url}, beat_dir=tmp_path)
    wait_for(lambda: _status(report) in ("done", "failed"), timeout=90)
    report.refresh_from_db()
    assert report.status == "done", report.error_message
    assert report.attempts == 1 and report.dispatched_at is not None


@pytest.fixture
def purged_queue(settings):
    """The test's queue is emptied afterwards: what this test sends, no later worker takes."""
    yield
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


@pytest.mark.django_db
def test_the_sweep_sends_again_only_what_may_be_lost(demo, settings, purged_queue):
    manager = User.objects.get(username="manager")
    now = datetime.datetime.now(datetime.UTC)
    old = now - datetime.timedelta(seconds=settings.REPORT_STALE_SECONDS + 60)
    make = services.report_request
    never_sent, _ = make(user=manager, year=2022, quarter=1, unit=manager.unit)
    just_sent, _ = make(user=manager, year=2022, quarter=2, unit=manager.unit)
    dead_run, _ = make(user=manager, year=2022, quarter=3, unit=manager.unit)
    done, _ = make(user=manager, year=2022, quarter=4, unit=manager.unit)
    reports = QuarterlyReport.objects
    reports.filter(pk=just_sent.pk).update(dispatched_at=now)
    reports.filter(pk=dead_run.pk).update(status="running", started_at=old, dispatched_at=old)
    reports.filter(pk=done.pk).update(status="done", dispatched_at=old, pdf="reports/x.pdf")

    assert services.reports_sweep(now=now) == 2
    sent = {r.pk: r.dispatched_at for r in reports.all()}
    assert sent[never_sent.pk] > now and sent[dead_run.pk] > now
    assert sent[just_sent.pk] == now and sent[done.pk] == old


@pytest.mark.django_db
def test_the_quarter_end_report_is_made_once_by_the_schedule(demo, settings):
    from celery.schedules import crontab

    schedule = settings.CELERY_BEAT_SCHEDULE["reports-quarter-end"]["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.month_of_year == {1, 4, 7, 10} and schedule.day_of_month == {1}

    first = services.quarter_end_report(today=datetime.date(2023, 1, 1))
    again = services.quarter_end_report(today=datetime.date(2023, 1, 1))
    assert first.pk == again.pk
    assert (first.year, first.quarter, first.automatic, first.requested_by) == (2022, 4, True, None)
    assert first.unit.code == "02"
    services.report_generate(report_id=first.pk)
    first.refresh_from_db()
    assert first.status == "done" and "Tỉnh Hà Giang" in pdf_text(first.pdf.path)
