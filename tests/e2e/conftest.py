"""Playwright driving Debian's chromium (the test tool's own browser download cannot work here)."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shot(page):
    """Save a screenshot under tests/e2e/screenshots/ to look at after the run."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name):
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


def log_in(page, base_url, username, password="demo12345"):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def agree(page):
    """Answer "Đồng ý" to the question a final or destructive form asks before it is sent."""
    dialog = page.locator("dialog#confirm-dialog")
    dialog.get_by_role("button", name="Đồng ý").click()
