"""Imports run in the worker: the web request stores the file and answers at once, the worker
checks and writes it, the page follows the batch; one batch per user at a time, and a message
lost on the way is sent again by the sweep."""

import time

import pytest
from django.db import IntegrityError
from django.urls import reverse

from beneficiaries import import_batches
from beneficiaries.models import Facility, ImportBatch
from khuyencong.celery import app
from tests import factories as f
from tests.beneficiaries.test_imports import UPLOAD, row, xlsx
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(login, district_user):
    f.SectorFactory()
    return login(district_user)


def test_a_second_file_while_one_is_in_flight_is_shown_the_first(signed_in, province):
    # No worker here: the first batch stays waiting.
    first = signed_in.post(UPLOAD, {"file": xlsx([row(province)], name="dot-1.xlsx")})
    batch = ImportBatch.objects.get()
    assert first.url == reverse("beneficiaries:import_preview", args=[batch.pk])
    page = signed_in.get(first.url).content.decode()
    assert "Đang đọc và kiểm tra từng dòng" in page and 'hx-trigger="every 2s"' in page

    second = signed_in.post(UPLOAD, {"file": xlsx([row(province)], name="dot-2.xlsx")}, follow=True)
    assert second.redirect_chain[-1][0] == first.url
    assert "Tệp “dot-1.xlsx” của bạn đang kiểm tra" in second.content.decode()
    assert ImportBatch.objects.count() == 1


def test_the_database_holds_one_batch_in_flight_per_user(district_user, colleague):
    ImportBatch.objects.create(kind="facilities", user=district_user, original_name="a.xlsx")
    ImportBatch.objects.create(kind="facilities", user=colleague, original_name="b.xlsx")
    with pytest.raises(IntegrityError):
        ImportBatch.objects.create(kind="facilities", user=district_user, original_name="c.xlsx")


def test_a_batch_never_sent_is_checked_once_the_sweep_sends_it(signed_in, province):
    signed_in.post(UPLOAD, {"file": xlsx([row(province)])})  # its message never left (no commit)
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.dispatched_at) == ("queued", None)
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    try:
        assert import_batches.imports_sweep() == 1
    finally:
        app.conf.update(task_always_eager=False, task_eager_propagates=False)
    batch.refresh_from_db()
    assert batch.status == "checked" and batch.result["created"] == 1 and batch.dispatched_at
    assert import_batches.imports_sweep() == 0


def test_a_second_delivery_of_a_done_batch_changes_nothing(tasks_here, signed_in, province):
    preview = signed_in.post(UPLOAD, {"file": xlsx([row(province)])}).url
    signed_in.post(preview)
    batch = ImportBatch.objects.get()
    assert batch.status == "applied"
    assert import_batches.import_run(batch_id=batch.pk) is None
    assert Facility.objects.count() == 1


def test_a_confirmation_while_writing_queues_nothing_more(signed_in, province, tasks_here):
    preview = signed_in.post(UPLOAD, {"file": xlsx([row(province)])}).url
    ImportBatch.objects.update(status="applying")  # the worker has it
    again = signed_in.post(preview, follow=True).content.decode()
    assert "Đang ghi các dòng vào cổng" in again
    assert not Facility.objects.exists()


@pytest.mark.slow
def test_a_real_worker_checks_then_writes_while_the_page_follows(
    celery_worker, login, district_user, province
):
    f.SectorFactory()
    client = login(district_user)
    began = time.monotonic()
    preview = client.post(UPLOAD, {"file": xlsx([row(province)])}).url
    answered = time.monotonic() - began
    wait_for(lambda: ImportBatch.objects.get().status == "checked", timeout=60)
    assert "thêm 1" in client.get(preview).content.decode()
    client.post(preview)
    wait_for(lambda: ImportBatch.objects.get().status == "applied", timeout=60)
    page = client.get(preview).content.decode()
    assert "Đã nhập tệp lúc" in page and Facility.objects.count() == 1
    print(f"\nupload answered in {answered:.3f} s; the worker checked and wrote the file")
