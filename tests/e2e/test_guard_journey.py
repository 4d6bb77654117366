"""In the browser: a destructive form asks first (cancelled, it sends nothing and its button
still works; accepted, it is sent once), by mouse or keyboard, on a phone's screen too; and a
refused form's page reloads without sending the form again."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from beneficiaries.models import Document
from tests import factories as f
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def posts(page):
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    return sent


@pytest.fixture
def facility(province, district_user):
    facility = f.FacilityFactory(unit=province.commune, name="HTX chè Tân Quang")
    f.DocumentFactory(facility=facility, title="Ảnh nhà xưởng")
    return facility


def test_a_deletion_asks_first_cancelled_sends_nothing_accepted_sends_once(
    live_server, page, facility, district_user, shot
):
    page.set_viewport_size({"width": 375, "height": 740})  # a phone
    log_in(page, live_server.url, district_user.username, f.PASSWORD)
    page.goto(live_server.url + reverse("beneficiaries:facility_detail", args=[facility.pk]))
    sent = posts(page)
    delete = page.get_by_role("button", name="Xóa", exact=True)
    dialog = page.get_by_role("dialog")

    delete.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Xóa tài liệu «Ảnh nhà xưởng» của cơ sở?")
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # fits the phone's screen
    shot("guard-confirm-on-a-phone")
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_be_hidden()
    expect(delete).to_be_enabled()  # the double-submit guard did not disable it

    delete.click()
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Hủy")).to_be_focused()  # the safe answer first
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert sent == []
    assert Document.objects.filter(facility=facility).count() == 1

    delete.click()
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Đồng ý")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("ul.messages")).to_contain_text("Đã xóa")
    assert len(sent) == 1
    assert Document.objects.filter(facility=facility).count() == 0


def test_a_refused_form_reloads_without_sending_it_again(live_server, page, district_user):
    log_in(page, live_server.url, district_user.username, f.PASSWORD)
    page.goto(live_server.url + reverse("beneficiaries:facility_create"))
    page.get_by_label("Tên cơ sở").fill("HTX mây tre Việt Vinh")
    page.get_by_role("button", name="Lưu cơ sở").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert "_r=" in page.url
    sent = posts(page)
    page.reload()
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.get_by_label("Tên cơ sở")).to_have_value("HTX mây tre Việt Vinh")
    assert sent == []


def test_an_admin_action_on_ticked_rows_asks_first(live_server, page, admin_user, district_user):
    from django.conf import settings

    from khuyencong.models import User

    log_in(page, live_server.url, admin_user.username, f.PASSWORD)
    page.goto(f"{live_server.url}/{settings.ADMIN_URL}khuyencong/user/")
    page.locator("tr", has_text=district_user.username).locator("input.action-select").check()
    page.locator("select[name=action]").select_option("move_to_successor")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    sent = posts(page)
    page.once("dialog", lambda d: answer(d, False))
    page.locator("button[name=index]").click()
    expect(page.locator("select[name=action]")).to_have_value("move_to_successor")
    assert questions == ["Thực hiện “Chuyển sang đơn vị kế thừa” cho 1 dòng đã chọn?"]
    assert sent == []
    page.once("dialog", lambda d: answer(d, True))
    page.locator("button[name=index]").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Đã chuyển 0 người dùng")
    assert len(sent) == 1
    assert User.objects.filter(pk=district_user.pk).exists()
