"""Redis stopped and started again while a worker keeps running: the pages asked for in the
meantime are served, a report asked for then is kept, and the same worker makes it once Redis
is back. (A worker started only after the broker came back: tests/reports/test_report_faults.py.)
"""

import time

import pytest
from django.urls import reverse

from khuyencong.embedded import PrivateRedis
from reports.models import QuarterlyReport
from tests.conftest import wait_for
from tests.services import FAST_SWEEP, broker_at

pytestmark = [pytest.mark.slow, pytest.mark.redis]


@pytest.fixture
def redis(settings):
    """A Redis of this test's own as the broker of this process and of its workers, and as
    this process's cache: stopping it is Redis down for the whole portal."""
    redis = PrivateRedis().start()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis.url}
    }
    with broker_at(redis.url):
        yield redis
    redis.stop()


def _report(**lookup):
    return QuarterlyReport.objects.filter(**lookup).first()


@pytest.mark.django_db(transaction=True)
def test_a_report_asked_for_while_redis_is_down_is_made_by_the_worker_running_all_along(
    workers, redis, manager, client, tmp_path
):
    worker = workers(env={**FAST_SWEEP, "REDIS_URL": redis.url}, beat_dir=tmp_path)
    client.force_login(manager)
    url = reverse("reports:report_request")
    client.post(url, {"year": 2022, "quarter": 3, "unit": ""})
    wait_for(lambda: getattr(_report(quarter=3), "status", None) == "done", timeout=60)

    redis.stop()
    began = time.monotonic()
    page = client.post(url, {"year": 2022, "quarter": 4, "unit": ""}, follow=True)
    took = time.monotonic() - began
    assert page.status_code == 200, page.text[:2000]
    assert "Đã nhận yêu cầu báo cáo quý 4/2022" in page.text
    assert "sẽ tự gửi lại" in page.text  # …and it is kept, not lost
    report = _report(quarter=4)
    assert report.status == "queued" and report.dispatched_at is None
    for name in ("dashboard", "reports:report_list", "beneficiaries:facility_list"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("healthz")).status_code == 503  # …but the check tells

    time.sleep(2)  # down long enough for the worker to notice and its beat to fail a sweep
    redis.start()
    back = time.monotonic()
    wait_for(lambda: _report(quarter=4).status in ("done", "failed"), timeout=45)
    made = time.monotonic() - back
    print(f"\nrequest while Redis was down answered in {took:.2f} s; made {made:.1f} s after")
    report.refresh_from_db()
    assert report.status == "done", report.error_message
    assert report.attempts == 1 and report.dispatched_at is not None
    assert worker.poll() is None, "the worker kept running"
    assert QuarterlyReport.objects.count() == 2
