"""The disk for generated files cannot be written: a real worker fails the report with a
message in Vietnamese on the reports page, leaves no file half-written, and the page's retry
makes the report once the disk can be written again — the same worker, never restarted."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from reports.models import QuarterlyReport
from tests.conftest import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.redis]

STORAGE_MESSAGE = "Không lưu được tệp báo cáo"


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if p.is_file())


def _finished(report):
    def check():
        report.refresh_from_db()
        return report.status in ("done", "failed")

    wait_for(check, timeout=60)
    return report


def _ask_for_a_report(client, manager):
    client.force_login(manager)
    client.post(reverse("reports:report_request"), {"year": 2022, "quarter": 4, "unit": ""})
    return QuarterlyReport.objects.get()


def _retry_from_the_page(client, report):
    """The "Tạo lại" button of the failed report's row, as the page shows it."""
    page = client.get(reverse("reports:report_list")).text
    retry = reverse("reports:report_retry", args=[report.pk])
    assert f'action="{retry}"' in page and "Tạo lại" in page
    return client.post(retry, follow=True)


def _assert_failed_with_the_message(client, report):
    assert report.status == "failed" and not report.pdf and not report.xlsx
    page = client.get(reverse("reports:report_list")).text
    assert STORAGE_MESSAGE in page and "bấm “Tạo lại”" in page, page
    assert "Errno" not in page and "Traceback" not in page


def _assert_made_on_retry(client, report, media_root, worker, extra=()):
    page = _retry_from_the_page(client, report)
    assert "Đã gửi lại yêu cầu tạo báo cáo." in page.text
    _finished(report)
    assert report.status == "done", report.error_message
    assert report.attempts == 2 and report.error_message == ""
    assert _files(media_root) == sorted(
        [f"reports/{report.pk}-bao-cao-quy-4-2022-02-lan-1.{kind}" for kind in ("pdf", "xlsx")]
        + list(extra)
    )
    assert client.get(reverse("reports:report_download", args=[report.pk])).status_code == 200
    assert worker.poll() is None, "the same worker made it"


@pytest.mark.django_db(transaction=True)
def test_a_report_whose_folder_cannot_be_created_fails_and_is_made_on_retry(
    workers, manager, client, media_root
):
    # Where the reports' folder should be lies a file: nothing can be written there, not even
    # by root, for whom permissions are no obstacle.
    media_root.mkdir(parents=True)
    (media_root / "reports").write_bytes(b"")
    worker = workers()
    report = _finished(_ask_for_a_report(client, manager))
    _assert_failed_with_the_message(client, report)
    assert _files(media_root) == ["reports"]  # nothing else was written

    (media_root / "reports").unlink()  # the disk is put right
    _assert_made_on_retry(client, report, media_root, worker)


@pytest.fixture
def small_disk():
    """A 1 MB tmpfs of its own, mounted for the test (skipped where mounting is not allowed)."""
    folder = Path(tempfile.mkdtemp(prefix="khuyencong-disk-"))
    mount = ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)]
    if subprocess.run(mount, capture_output=True, check=False).returncode != 0:
        folder.rmdir()
        pytest.skip("mounting a small tmpfs needs root with CAP_SYS_ADMIN")
    yield folder
    subprocess.run(["umount", "--lazy", str(folder)], check=False)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.django_db(transaction=True)
def test_a_report_cut_off_by_a_full_disk_leaves_no_partial_file(
    workers, manager, client, small_disk, settings
):
    settings.MEDIA_ROOT = small_disk
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    filler.write_bytes(b"\0" * (free - 8 * 1024))  # 8 KB left: the PDF begins, then no space
    worker = workers()
    report = _finished(_ask_for_a_report(client, manager))
    _assert_failed_with_the_message(client, report)
    assert _files(small_disk) == ["filler"], "a half-written file was left"

    filler.unlink()  # space is freed
    _assert_made_on_retry(client, report, small_disk, worker)
