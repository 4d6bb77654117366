"""The report of the quarter still running is made "to date": its figures count what happened up
to today and its first page says so; a quarter not yet begun is refused; a past quarter reads
as before."""

import datetime

import pytest
from django.urls import reverse

from khuyencong.dates import Quarter, format_date_vn, today
from khuyencong.pdf import render_html
from reports import services
from reports.models import QuarterlyReport
from tests import factories as f
from tests.conftest import pdf_text

pytestmark = pytest.mark.django_db
TR = 1_000_000
DAY = datetime.timedelta(days=1)


@pytest.fixture
def paid(province):
    """A scheme of this year with a payment made yesterday, and one wrongly dated tomorrow, as
    an old record may be (written before the rule): the report counts only the first."""
    year = today().year
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(
            unit=province.province, year=year, decision_date=datetime.date(year, 1, 10)
        ),
        unit=province.district,
        status="in_progress",
        approval_number="12/QĐ-SCT",
        approval_date=datetime.date(year, 1, 20),
        start_date=datetime.date(year, 1, 1),
        end_date=datetime.date(year, 12, 31),
        budget=300 * TR,
    )
    contract = f.ContractFactory(scheme=scheme, value=200 * TR, signed_on=datetime.date(year, 1, 5))
    for day, amount in ((today() - DAY, 30 * TR), (today() + DAY, 50 * TR)):
        f.DisbursementFactory(contract=contract, paid_on=day, amount=amount)
    return scheme


def test_the_form_refuses_next_quarter_by_name(login, manager, province):
    coming = Quarter.of(today()).shifted(1)
    data = {"year": coming.year, "quarter": coming.quarter}
    response = login(manager).post(reverse("reports:report_request"), data)
    assert response.status_code == 200
    first = format_date_vn(coming.bounds[0])
    assert f"Quý {coming.quarter}/{coming.year} chưa bắt đầu (bắt đầu từ ngày {first})" in (
        response.text
    )
    assert not QuarterlyReport.objects.exists()


def test_the_current_quarter_is_reported_to_date(
    login, manager, province, paid, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    running = Quarter.of(today())
    data = {"year": running.year, "quarter": running.quarter}
    response = login(manager).post(reverse("reports:report_request"), data, follow=True)
    assert response.status_code == 200
    report = QuarterlyReport.objects.get()
    context = services.report_context(
        year=running.year, quarter=running.quarter, unit=province.province
    )
    assert context["to_date"] and context["figures"].until == today()
    assert context["figures"].total.disbursed == 30 * TR  # not tomorrow's
    to_date = f"Số liệu đến ngày {format_date_vn(today())}"
    assert to_date in render_html(services.REPORT_TEMPLATE, context)
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "done", report.error_message
    text = " ".join(pdf_text(report.pdf.path).split())
    assert to_date in text
    assert text.index(to_date) < text.index("I. KINH PHÍ THEO NGUỒN")  # on its first page
    assert report.to_date_until == today()
    listing = login(manager).get(reverse("reports:report_list")).text
    assert f"số liệu đến ngày {format_date_vn(today())}" in listing


def test_a_past_quarter_reads_as_before(province, paid):
    ended = Quarter.of(today()).shifted(-1)
    context = services.report_context(
        year=ended.year, quarter=ended.quarter, unit=province.province
    )
    assert not context["to_date"]
    assert context["figures"].until == ended.bounds[1]
    assert "Số liệu đến ngày" not in render_html(services.REPORT_TEMPLATE, context)
    report = f.QuarterlyReportFactory(
        year=ended.year, quarter=ended.quarter, unit=province.province
    )
    assert report.to_date_until is None
