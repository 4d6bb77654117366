"""The province's review on today's demo, in the browser: the officer's queue opens on next
year, "select all" ticks the page's rows, one request goes into the draft local plan from the
queue, another is returned for additions from its page; the commune sees the reason, its
dossier open again, and sends it back."""

import pytest
from playwright.sync_api import expect

from beneficiaries.models import SupportRequest
from khuyencong.dates import today
from tests.e2e.conftest import log_in
from tests.e2e.pages import badge, messages

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

NEXT = today().year + 1
REASON = "Bổ sung ảnh chụp nhà xưởng và báo giá thiết bị có dấu."


def answer_if_asked(page):
    """Answer "Đồng ý" where the portal asks before a final step (dialog#confirm-dialog)."""
    dialog = page.locator("dialog#confirm-dialog")
    if dialog.count():
        dialog.get_by_role("button", name="Đồng ý").click()


def test_the_officer_reviews_and_the_commune_completes(live_server, demo, page, shot):
    waiting = SupportRequest.objects.filter(
        year=NEXT, status__in=SupportRequest.AWAITING_DECISION
    ).select_related("facility")
    count = waiting.count()
    assert count >= 3, "the demo has next year's requests waiting"
    log_in(page, live_server.url, "officer")
    page.get_by_role("link", name="Xét duyệt nhu cầu").first.click()
    expect(page.get_by_role("heading", name=f"Hàng chờ xét duyệt năm {NEXT}")).to_be_visible()
    boxes = page.locator("input[name=pick]")
    expect(boxes).to_have_count(count)
    page.get_by_label("Chọn tất cả đăng ký trên trang").check()
    for i in range(boxes.count()):
        expect(boxes.nth(i)).to_be_checked()
    page.get_by_label("Chọn tất cả đăng ký trên trang").uncheck()
    for i in range(boxes.count()):
        expect(boxes.nth(i)).not_to_be_checked()
    shot("review-01-queue")

    # One request into the draft local plan, from the queue.
    chosen, returned = list(waiting.order_by("pk"))[:2]
    page.get_by_label(f"Chọn {chosen.facility.name}").check()
    page.get_by_label(f"Kế hoạch năm {NEXT}").select_option(index=0)
    page.get_by_role("button", name="Đưa vào kế hoạch").click()
    answer_if_asked(page)
    expect(messages(page)).to_contain_text("Đã đưa 1 đăng ký vào kế hoạch")
    expect(page.locator("input[name=pick]")).to_have_count(count - 1)
    chosen.refresh_from_db()
    assert chosen.status == "included" and chosen.scheme_link.scheme

    # Another returned for additions, from its page.
    page.get_by_role("link", name=returned.facility.name).first.click()
    page.get_by_text("Trả lại bổ sung…").click()
    page.get_by_label("Lý do trả lại bổ sung").fill(REASON)
    page.get_by_role("button", name="Xác nhận: trả lại bổ sung").click()
    answer_if_asked(page)
    expect(badge(page)).to_have_text("Trả lại bổ sung")
    shot("review-02-returned")

    # The commune sees why, its dossier open again, and sends it back.
    returned.refresh_from_db()
    commune_login = returned.created_by.username
    page.context.clear_cookies()
    log_in(page, live_server.url, commune_login)
    page.goto(f"{live_server.url}/requests/{returned.pk}/")
    expect(page.get_by_role("alert")).to_contain_text(REASON)
    expect(page.get_by_role("heading", name="Tải hồ sơ lên")).to_be_visible()
    expect(page.get_by_role("link", name="Sửa đăng ký")).to_be_visible()
    shot("review-03-commune-sees-the-reason")
    page.get_by_role("button", name="Gửi lên tỉnh").click()
    answer_if_asked(page)
    expect(badge(page)).to_have_text("Đã gửi")
    expect(page.get_by_role("heading", name="Tải hồ sơ lên")).to_have_count(0)
