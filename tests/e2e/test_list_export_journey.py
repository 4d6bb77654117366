"""The lists on today's demo, in the browser: each shows the totals of its filtered rows, and
"Xuất Excel" downloads the same rows, filter kept, on a desktop and on a phone."""

from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def _download(page):
    with page.expect_download() as info:
        page.get_by_role("link", name="Xuất Excel").click()
    download = info.value
    with open(download.path(), "rb") as file:  # no .xlsx suffix there: openpyxl wants a file
        sheet = openpyxl.load_workbook(BytesIO(file.read())).active
    return download.suggested_filename, list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("size", SIZES)
def test_the_lists_show_their_totals_and_export_what_they_show(live_server, demo, page, shot, size):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    day = f"{timezone.localdate():%Y%m%d}"
    log_in(page, live_server.url, "officer")

    page.goto(f"{live_server.url}/schemes/?year=2026")
    footer = page.locator("tfoot tr.total")
    expect(footer).to_contain_text("Tổng cộng (")
    shot(f"list-export-schemes-{size}")
    name, rows = _download(page)
    assert name == f"de-an-{day}.xlsx"
    count = page.locator("tbody tr").count()
    assert rows[-1][0] == f"Tổng cộng ({count} dòng)"
    assert len(rows) == count + 2  # the header, the rows, the totals

    page.goto(f"{live_server.url}/requests/?year=2027")
    expect(page.locator("tfoot tr.total")).to_contain_text("Tổng cộng (")
    shot(f"list-export-requests-{size}")
    name, rows = _download(page)
    assert name == f"dang-ky-nhu-cau-{day}.xlsx"
    assert {r[0] for r in rows[1:-1]} == {2027}

    page.goto(f"{live_server.url}/plans/")
    expect(page.locator("tfoot tr.total")).to_contain_text("Tổng cộng (")
    shot(f"list-export-plans-{size}")
