"""The reports page: who may use it, how a request is recorded, how the file is served."""

import pytest
from django.urls import reverse

from khuyencong.models import User
from reports import services
from reports.models import QuarterlyReport
from tests import factories as f
from tests.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_district_staff_may_not_use_reports(login, district_user):
    assert login(district_user).get(reverse("reports:report_list")).status_code == 403


def test_manager_requests_a_report_and_it_is_queued_after_commit(
    login, manager, province, django_capture_on_commit_callbacks
):
    client = login(manager)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("reports:report_request"), {"year": 2022, "quarter": 4})
    assert response.status_code == 302
    report = QuarterlyReport.objects.get()
    assert (report.year, report.quarter, report.unit, report.status) == (
        2022,
        4,
        province.province,
        "queued",
    )
    assert len(callbacks) == 1  # the dispatch waits for the commit


def test_a_double_submit_makes_one_report(login, manager, province):
    client = login(manager)
    for _ in range(2):
        client.post(reverse("reports:report_request"), {"year": 2022, "quarter": 4})
    assert QuarterlyReport.objects.count() == 1


def test_a_future_quarter_is_refused_with_a_message(login, manager, province):
    response = login(manager).post(reverse("reports:report_request"), {"year": 2099, "quarter": 1})
    assert response.status_code == 200
    assert "quý chưa bắt đầu" in response.text
    assert not QuarterlyReport.objects.exists()


def test_a_malformed_request_is_refused_with_a_message(login, manager, province):
    response = login(manager).post(reverse("reports:report_request"), {"year": "abc", "quarter": 9})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.text or "hợp lệ" in response.text


@pytest.mark.slow  # the demo province and its PDF: seconds
def test_generation_is_idempotent_and_downloads_the_same_bytes(login, tmp_path, settings, demo):
    settings.MEDIA_ROOT = tmp_path
    manager = User.objects.get(username="manager")
    report, _ = services.report_request(user=manager, year=2022, quarter=4, unit=manager.unit)
    services.report_generate(report_id=report.pk)
    services.report_generate(report_id=report.pk)  # a redelivered message does nothing more
    report.refresh_from_db()
    assert report.status == "done" and report.attempts == 1
    files = sorted(p.name for p in (tmp_path / "reports").iterdir())
    stem = f"{report.pk}-bao-cao-quy-4-2022-08-lan-1"
    assert files == [f"{stem}.pdf", f"{stem}.xlsx"]
    client = login(manager)
    first = b"".join(
        client.get(reverse("reports:report_download", args=[report.pk])).streaming_content
    )
    second = b"".join(
        client.get(reverse("reports:report_download", args=[report.pk])).streaming_content
    )
    assert first == second and first.startswith(b"%PDF")
    xlsx = client.get(reverse("reports:report_download_xlsx", args=[report.pk]))
    assert xlsx["Content-Disposition"].endswith('filename="bao-cao-quy-4-2022-08-lan-1.xlsx"')
    assert b"".join(xlsx.streaming_content).startswith(b"PK")
    text = pdf_text(report.pdf.path)
    assert "1.200.000.000" in text and "Khuyến công quốc gia" in text


def test_a_report_outside_scope_answers_404(login, officer, province):
    other_province = f.ProvinceFactory(name="Tỉnh Khác")
    report = f.QuarterlyReportFactory(unit=other_province)
    response = login(officer).get(reverse("reports:report_download", args=[report.pk]))
    assert response.status_code == 404


def test_the_status_fragment_polls_while_pending(login, manager, province):
    report = f.QuarterlyReportFactory(unit=province.province)
    page = login(manager).get(reverse("reports:report_status", args=[report.pk]))
    assert 'hx-trigger="every 2s"' in page.text


def test_a_failed_report_says_so_in_words_and_can_be_retried(
    login, manager, province, tmp_path, settings
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked  # the disk for generated files cannot be written
    report, _ = services.report_request(user=manager, year=2022, quarter=4, unit=province.province)
    with pytest.raises(OSError):
        services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "failed"
    page = login(manager).get(reverse("reports:report_list"))
    assert "Không lưu được tệp báo cáo" in page.text and "Tạo lại" in page.text
    login(manager).post(reverse("reports:report_retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "queued" and report.error_message == ""


@pytest.mark.slow  # the demo province: seconds
def test_a_second_run_while_the_first_is_alive_leaves_it_alone(demo):
    """A duplicate message (the sweep, a redelivery) finds the report's lock held and goes."""
    manager = User.objects.get(username="manager")
    report, _ = services.report_request(user=manager, year=2022, quarter=4, unit=manager.unit)
    with services.making(report.pk) as mine:
        assert mine
        from django.db import connections

        other = connections.create_connection("default")  # another worker's connection
        try:
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_try_advisory_lock(%s, %s)", [services.LOCK_SPACE, report.pk]
                )
                assert cursor.fetchone()[0] is False
        finally:
            other.close()
    assert services.report_generate(report_id=report.pk).status == "done"


def test_a_forged_year_on_the_dashboard_gets_the_default(login, manager, province):
    for year in ("0", "-3", "99999", "abc"):
        assert login(manager).get(reverse("dashboard"), {"year": year}).status_code == 200
