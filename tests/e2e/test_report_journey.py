"""A manager logs in, asks for the quarter's report, waits for it and downloads the PDF."""

import openpyxl
import pytest

from tests.conftest import pdf_text
from tests.e2e.conftest import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_manager_requests_waits_for_and_downloads_the_quarterly_pdf(
    live_server, celery_worker, demo, page, shot, tmp_path
):
    log_in(page, live_server.url, "manager")
    page.get_by_role("heading", name="Tổng quan khuyến công năm 2026").wait_for()
    page.goto(f"{live_server.url}/?year=2022")  # the former Hà Giang's year
    assert page.locator("td", has_text="1.200.000.000 đ").first.is_visible()
    assert page.locator("figure.chart svg").count() == 4  # and the multi-year chart
    late = page.get_by_role("heading", name="Đề án chậm tiến độ, có rủi ro")
    assert late.is_visible()
    shot("dashboard-manager")

    page.get_by_role("link", name="Báo cáo").click()
    page.get_by_label("Năm").fill("2022")
    page.get_by_label("Quý").select_option("4")
    page.get_by_role("button", name="Yêu cầu báo cáo").click()
    page.get_by_text("Đã nhận yêu cầu báo cáo quý 4/2022").wait_for()
    row = page.locator("tbody tr").first
    assert row.get_by_text("Quý 4/2022").is_visible()

    # No reload: htmx polls the row until the worker has made the files.
    download_pdf = row.get_by_role("link", name="Tải PDF")
    download_pdf.wait_for(timeout=90_000)
    shot("reports-done")
    with page.expect_download() as info:
        download_pdf.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "bao-cao-quy-4-2022-08-lan-1.pdf"
    text = pdf_text(target)
    assert "1.200.000.000" in text and "Hà Giang" in text and "Bắc Quang" in text
    assert "Tiến độ thực hiện kế hoạch khuyến công quý 4 năm 2022" in text

    with page.expect_download() as info:
        row.get_by_role("link", name="Tải Excel").click()
    workbook = tmp_path / info.value.suggested_filename
    info.value.save_as(workbook)
    assert workbook.name == "bao-cao-quy-4-2022-08-lan-1.xlsx"
    sources = openpyxl.load_workbook(workbook)["Theo nguồn"]
    national = next(
        r for r in sources.iter_rows(values_only=True) if r[1] == "Khuyến công quốc gia"
    )
    assert national[3] == 1_200_000_000  # the plan, as in the PDF and on the dashboard


def test_district_user_sees_his_district_only(live_server, demo, page, shot):
    log_in(page, live_server.url, "xatungba")  # today's commune, formerly in Vị Xuyên
    page.get_by_role("link", name="Cơ sở CNNT").click()
    page.get_by_role("heading", name="Cơ sở công nghiệp nông thôn").wait_for()
    shot("facilities-xatungba")
    assert page.get_by_text("Hợp tác xã chè Shan tuyết Tùng Bá").is_visible()
    assert page.get_by_text("Hợp tác xã chè Phong Quang").count() == 0  # another commune's
    assert page.get_by_role("link", name="Báo cáo").count() == 0
