"""One report of a quarter and scope at a time: while one is queued or being made, asking again
— the same manager, a colleague, the quarter-end schedule, a retry — shows that one instead of
queueing a second. (Two requests at the same instant: tests/faults/test_double_submit.py.)"""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse

from reports import services
from reports.models import IN_FLIGHT_MESSAGE, QuarterlyReport
from tests import factories as f

pytestmark = pytest.mark.django_db

ALREADY = "đang được tạo (lần 1"


@pytest.fixture
def dispatched(monkeypatch, django_capture_on_commit_callbacks):
    """The reports sent to the worker queue (none really is) by what runs in `committed()`, as
    if each request committed there."""
    sent = []
    monkeypatch.setattr(services, "report_dispatch", lambda *, report_id: sent.append(report_id))
    return sent


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _ask(client):
    url = reverse("reports:report_request")
    return client.post(url, {"year": 2022, "quarter": 4, "unit": ""}, follow=True)


def test_a_colleague_asking_while_one_is_queued_is_shown_the_first(
    login, manager, officer, province, dispatched, committed
):
    with committed():
        first = _ask(login(manager))
    report = QuarterlyReport.objects.get()
    assert "Đã nhận yêu cầu báo cáo quý 4/2022" in first.text
    with committed():
        second = _ask(login(officer))
    assert QuarterlyReport.objects.count() == 1 and dispatched == [report.pk]
    assert f"Báo cáo quý 4/2022 của {province.province.name} {ALREADY}" in second.text
    assert "Đã nhận yêu cầu" not in second.text
    assert second.redirect_chain[-1][0].endswith(f"?report={report.pk}#report-{report.pk}")
    assert f'<tr id="report-{report.pk}" class="shown" aria-current="true"' in second.text


def test_a_request_while_one_is_running_is_shown_it(login, manager, province, dispatched):
    report, new = services.report_request(
        user=None, year=2022, quarter=4, unit=province.province, automatic=True
    )
    QuarterlyReport.objects.filter(pk=report.pk).update(status="running")
    again, new_again = services.report_request(
        user=manager, year=2022, quarter=4, unit=province.province
    )
    assert new and not new_again and again.pk == report.pk
    assert ALREADY in _ask(login(manager)).text
    assert QuarterlyReport.objects.count() == 1


def test_after_it_is_done_a_new_request_makes_version_2(login, manager, province, dispatched):
    report, _ = services.report_request(user=manager, year=2022, quarter=4, unit=province.province)
    QuarterlyReport.objects.filter(pk=report.pk).update(status="done", pdf="reports/x.pdf")
    page = _ask(login(manager))
    assert "Đã nhận yêu cầu báo cáo quý 4/2022" in page.text
    assert list(QuarterlyReport.objects.order_by("version").values_list("version", "status")) == [
        (1, "done"),
        (2, "queued"),
    ]


def test_the_database_refuses_a_second_report_in_flight_with_the_message(province):
    f.QuarterlyReportFactory(unit=province.province, status="running")
    second = QuarterlyReport(unit=province.province, year=2022, quarter=4, version=2)
    with pytest.raises(Exception, match=IN_FLIGHT_MESSAGE):
        second.validate_constraints()
    with pytest.raises(IntegrityError, match="report_one_in_flight"):
        f.QuarterlyReportFactory(unit=province.province, version=2)


def test_other_quarters_and_scopes_are_made_side_by_side(province, dispatched):
    for quarter, unit in ((3, province.province), (4, province.province), (4, province.district)):
        _, new = services.report_request(user=None, year=2022, quarter=quarter, unit=unit)
        assert new
    assert QuarterlyReport.objects.filter(status="queued").count() == 3


def test_the_quarter_end_schedule_meeting_a_request_in_flight_makes_no_second(
    manager, province, dispatched, committed
):
    with committed():
        asked, _ = services.report_request(
            user=manager, year=2022, quarter=4, unit=province.province
        )
        made = services.quarter_end_report(today=datetime.date(2023, 1, 1))
    assert made.pk == asked.pk and QuarterlyReport.objects.count() == 1
    assert dispatched == [asked.pk]


def test_a_retry_while_another_of_the_quarter_is_in_flight_shows_that_one(
    login, manager, province, dispatched, committed
):
    """The failed report stays failed: its quarter is being made again already, by the other
    one; retrying it too would make two at once. Once the other is done, it may be retried."""
    failed = f.QuarterlyReportFactory(unit=province.province, status="failed", error_message="x")
    other = f.QuarterlyReportFactory(unit=province.province, version=2, status="running")
    client = login(manager)
    with committed():
        page = client.post(reverse("reports:report_retry", args=[failed.pk]), follow=True)
    failed.refresh_from_db()
    assert failed.status == "failed" and dispatched == []
    assert "Báo cáo quý 4/2022" in page.text and "đang được tạo (lần 2" in page.text
    assert "Đã gửi lại" not in page.text
    assert f'<tr id="report-{other.pk}" class="shown"' in page.text

    QuarterlyReport.objects.filter(pk=other.pk).update(status="done", pdf="reports/x.pdf")
    with committed():
        page = client.post(reverse("reports:report_retry", args=[failed.pk]), follow=True)
    failed.refresh_from_db()
    assert failed.status == "queued" and dispatched == [failed.pk]
    assert "Đã gửi lại yêu cầu tạo báo cáo." in page.text
