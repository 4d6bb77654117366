"""The portal on a phone (issue 22): at 390 × 844 the header is one line with a Menu button
that shows the navigation, every list reads as cards without sideways scrolling, the inputs are
tall enough and in 16 px text (the phone does not zoom on focus), and the filters are folded
away until asked for. On a 1366 px screen the same pages keep their bar and tables.

Every page walked is saved as tests/e2e/screenshots/phone-*.png (desktop-*.png) to look at."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from beneficiaries.models import Facility, SupportRequest
from schemes.models import Plan, Scheme
from tests.e2e.conftest import SCREENSHOTS, log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
MENU_LINK = "Kế hoạch"  # a link of the navigation, hidden on a phone until the menu is open


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def save(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def main_nav(page):
    return page.get_by_role("navigation", name="Điều hướng chính")


def sideways(page):
    """How far the page scrolls sideways (0: it fits the screen's width)."""
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def officer_pages():
    """(name, address) of every list and form the province's officer has, in the demo."""
    facility = Facility.objects.order_by("pk").first()
    request = SupportRequest.objects.order_by("pk").first()
    scheme = Scheme.objects.filter(contracts__isnull=False).order_by("pk").first()
    plan = Plan.objects.order_by("-year", "pk").first()
    return [
        ("dashboard", reverse("dashboard")),
        ("facilities", reverse("beneficiaries:facility_list")),
        ("facility", reverse("beneficiaries:facility_detail", args=[facility.pk])),
        ("facility-form", reverse("beneficiaries:facility_create")),
        ("facility-import", reverse("beneficiaries:facility_import")),
        ("requests", reverse("beneficiaries:request_list")),
        ("request", reverse("beneficiaries:request_detail", args=[request.pk])),
        ("review-queue", reverse("beneficiaries:request_review_queue")),
        ("schemes", reverse("schemes:scheme_list")),
        ("scheme", reverse("schemes:scheme_detail", args=[scheme.pk])),
        ("scheme-form", reverse("schemes:scheme_create")),
        ("plans", reverse("plans:plan_list")),
        ("plan", reverse("plans:plan_detail", args=[plan.pk])),
        ("plan-form", reverse("plans:plan_create")),
        ("plan-builder", reverse("plans:plan_builder", args=[plan.pk])),
        ("rules", reverse("schemes:rule_list")),
        ("rule-form", reverse("schemes:rule_create")),
        ("tasks", reverse("duties:task_list")),
        ("reports", reverse("reports:report_list")),
        ("password", reverse("password_change")),
    ]


def test_a_phone_gets_a_menu_cards_big_inputs_and_folded_filters(live_server, demo, phone, browser):
    url = live_server.url
    phone.goto(f"{url}/accounts/login/")
    assert sideways(phone) <= 0
    save(phone, "phone-login")
    log_in(phone, url, "officer")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()

    # The header: one line, the tasks' link and its count kept, the menu closed.
    header = phone.locator("header.topbar")
    assert header.bounding_box()["height"] <= 0.15 * PHONE["height"]
    expect(main_nav(phone).get_by_role("link", name=MENU_LINK)).to_be_hidden()
    expect(main_nav(phone).locator("a.nav-tasks")).to_be_visible()
    expect(phone.locator(".who")).to_be_hidden()
    phone.locator("label.menu-btn").click()
    expect(main_nav(phone).get_by_role("link", name=MENU_LINK)).to_be_visible()
    expect(phone.get_by_role("button", name="Đăng xuất")).to_be_visible()
    save(phone, "phone-menu-open")
    main_nav(phone).get_by_role("link", name=MENU_LINK).click()
    expect(phone.get_by_role("heading", name="Kế hoạch khuyến công", exact=True)).to_be_visible()
    expect(main_nav(phone).get_by_role("link", name=MENU_LINK)).to_be_hidden()  # closed again

    for name, path in officer_pages():
        phone.goto(url + path)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        assert sideways(phone) <= 0, f"{name} scrolls sideways by {sideways(phone)} px"
        save(phone, f"phone-{name}")

    # A list as cards: each cell says its column, the row's main link leads.
    phone.goto(url + reverse("beneficiaries:facility_list"))
    first = phone.locator("table tbody tr").first
    expect(phone.locator("table thead")).to_be_hidden()
    assert first.evaluate("row => getComputedStyle(row).display") != "table-row"
    kind = first.locator("td[data-label='Loại hình']")
    assert kind.evaluate("td => getComputedStyle(td, '::before').content") == '"Loại hình"'
    title = first.locator("td[data-main]")
    assert title.evaluate("td => parseFloat(getComputedStyle(td).fontWeight)") >= 700

    # The filters folded away, open once asked for, and open when a filter is in the address.
    fold = phone.locator("details.filters-fold")
    expect(fold).not_to_have_attribute("open", "")
    expect(phone.locator("form.filters")).to_be_hidden()
    fold.locator("summary").click()
    expect(phone.locator("form.filters")).to_be_visible()
    save(phone, "phone-facilities-filters")
    phone.goto(url + reverse("beneficiaries:facility_list") + "?q=mật+ong")
    expect(phone.locator("details.filters-fold")).to_have_attribute("open", "")
    expect(phone.locator("form.filters")).to_be_visible()
    expect(phone.locator("details.filters-fold summary")).to_contain_text("đang lọc")
    phone.goto(url + reverse("beneficiaries:request_review_queue"))  # its year is the view's
    expect(phone.locator("details.filters-fold")).not_to_have_attribute("open", "")

    # 44 px controls in 16 px text: the phone does not zoom on focus.
    phone.goto(url + reverse("beneficiaries:facility_create"))
    for control in ("input[type=text]", "select", "textarea", "button[type=submit]"):
        box = phone.locator(f"main {control}").first
        height, size = box.evaluate(
            "el => [el.getBoundingClientRect().height, parseFloat(getComputedStyle(el).fontSize)]"
        )
        assert height >= 44 and size >= 16, (control, height, size)

    # A commune's staff: his lists and his request form.
    phone.context.clear_cookies()
    log_in(phone, url, "xameovac")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    for name, path in [
        ("commune-dashboard", reverse("dashboard")),
        ("commune-facilities", reverse("beneficiaries:facility_list")),
        ("commune-requests", reverse("beneficiaries:request_list")),
        ("commune-request-form", reverse("beneficiaries:request_create")),
    ]:
        phone.goto(url + path)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        assert sideways(phone) <= 0, f"{name} scrolls sideways by {sideways(phone)} px"
        save(phone, f"phone-{name}")

    # Without JavaScript the menu opens all the same (a checkbox and its label).
    context = browser.new_context(locale="vi-VN", viewport=PHONE, java_script_enabled=False)
    plain = context.new_page()
    try:
        log_in(plain, url, "xameovac")
        expect(main_nav(plain).get_by_role("link", name=MENU_LINK)).to_be_hidden()
        plain.locator("label.menu-btn").click()
        expect(main_nav(plain).get_by_role("link", name=MENU_LINK)).to_be_visible()
    finally:
        context.close()


def test_wider_screens_keep_their_tables_and_open_filters(live_server, demo, desktop, browser):
    url = live_server.url
    log_in(desktop, url, "officer")
    expect(desktop.get_by_role("heading", level=1)).to_be_visible()
    expect(desktop.locator("label.menu-btn")).to_be_hidden()
    expect(main_nav(desktop).get_by_role("link", name=MENU_LINK)).to_be_visible()
    expect(desktop.get_by_role("button", name="Đăng xuất")).to_be_visible()
    save(desktop, "desktop-dashboard")

    desktop.goto(url + reverse("beneficiaries:facility_list"))
    expect(desktop.locator("form.filters")).to_be_visible()
    expect(desktop.locator("details.filters-fold summary")).to_be_hidden()
    expect(desktop.locator("table thead")).to_be_visible()
    row = desktop.locator("table tbody tr").first
    assert row.evaluate("row => getComputedStyle(row).display") == "table-row"
    save(desktop, "desktop-facilities")
    for name, path in [
        ("requests", reverse("beneficiaries:request_list")),
        ("review-queue", reverse("beneficiaries:request_review_queue")),
        ("schemes", reverse("schemes:scheme_list")),
        ("facility-form", reverse("beneficiaries:facility_create")),
    ]:
        desktop.goto(url + path)
        expect(desktop.get_by_role("heading", level=1)).to_be_visible()
        save(desktop, f"desktop-{name}")

    # A tablet: the phone's menu, the desktop's tables (scrolled in their frame if need be).
    context = browser.new_context(locale="vi-VN", viewport={"width": 768, "height": 1024})
    tablet = context.new_page()
    try:
        log_in(tablet, live_server.url, "officer")
        expect(tablet.get_by_role("heading", level=1)).to_be_visible()
        expect(tablet.locator("label.menu-btn")).to_be_visible()
        expect(main_nav(tablet).get_by_role("link", name=MENU_LINK)).to_be_hidden()
        tablet.goto(live_server.url + reverse("beneficiaries:facility_list"))
        row = tablet.locator("table tbody tr").first
        assert row.evaluate("row => getComputedStyle(row).display") == "table-row"
        expect(tablet.locator("form.filters")).to_be_visible()  # open beside the table
        assert sideways(tablet) <= 0
        save(tablet, "tablet-facilities")
    finally:
        context.close()
