"""The pages issue 22's small fixes touch, on the demo province at desktop (1366 px) and phone
(390 px) widths: screenshots to look at, and the contracts table's value column seen whole."""

import pytest

from beneficiaries.models import ImportBatch
from khuyencong.models import User
from schemes.models import Scheme
from tests.e2e.conftest import log_in
from tests.e2e.test_scheme_journey import shoot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1366, "phone": 390}


def visit(browser, base, username, path, name):
    pages = {}
    for label, width in WIDTHS.items():
        context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, base, username)
        page.goto(base + path)
        shoot(page, f"f-{name}-{label}")
        pages[label] = (context, page)
    return pages


def test_the_touched_pages_at_both_widths(live_server, demo, browser):
    base = live_server.url
    scheme = Scheme.objects.get(code="QG-2026-01")
    pages = visit(browser, base, "officer", f"/schemes/{scheme.pk}/", "scheme")
    for label, (context, page) in pages.items():
        table = page.locator("#hop-dong table").first
        cell = table.locator("td.num").first
        wrap = page.locator("#hop-dong .table-wrap").first
        if label == "desktop":
            # The value's right edge lies inside the visible table, not cut off by it.
            assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= (
                wrap.bounding_box()["x"] + wrap.bounding_box()["width"] + 1
            )
            assert page.evaluate("e => e.scrollWidth <= e.clientWidth", wrap.element_handle())
        context.close()
    for user, path, name in [
        ("officer", "/facilities/", "facilities"),
        ("xameovac", "/requests/new/", "request-form"),
        ("officer", "/schemes/new/", "scheme-form"),
        ("admin", "/admin/", "admin"),
        ("admin", "/admin/axes/accessattempt/?_facets=True", "admin-axes"),
    ]:
        for context, _page in visit(browser, base, user, path, name).values():
            context.close()
    batch = ImportBatch.objects.create(
        kind="requests", user=User.objects.get(username="xameovac"), original_name="a.xlsx"
    )
    for context, _page in visit(
        browser, base, "xameovac", f"/imports/batch/{batch.pk}/", "import-preview"
    ).values():
        context.close()
