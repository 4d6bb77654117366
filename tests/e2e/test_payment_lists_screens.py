"""The contract and payment lists on the demo province at desktop (1366 px) and phone (390 px)
widths: screenshots to look at, and their totals row shown."""

import pytest

from tests.e2e.test_small_fixes_screens import visit

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_payment_lists_at_both_widths(live_server, demo, browser):
    base = live_server.url
    for path, name in (
        ("/schemes/contracts/", "contracts"),
        ("/schemes/disbursements/", "payments"),
    ):
        pages = visit(browser, base, "officer", path, f"g-{name}")
        for context, page in pages.values():
            assert page.locator("tfoot").get_by_text("Tổng cộng").count() == 1
            context.close()
