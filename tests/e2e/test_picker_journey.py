"""The scheme's beneficiary picker in the browser: what the officer types narrows the list from
the server (htmx), and the facility chosen is the one added."""

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.e2e.pages import entry, messages

pytestmark = pytest.mark.slow


def test_typing_narrows_the_facilities_and_the_one_chosen_is_added(
    live_server, page, province, officer
):
    scheme = f.SchemeFactory(plan=f.PlanFactory(unit=province.province), unit=province.district)
    f.FacilityFactory(unit=province.commune, name="Hợp tác xã chè Shan tuyết Tân Quang")
    for number in range(12):
        f.FacilityFactory(unit=province.commune, name=f"Tổ hợp tác mật ong số {number}")
    log_in(page, live_server.url, officer.username, f.PASSWORD)
    page.goto(f"{live_server.url}/schemes/{scheme.pk}/")
    form = entry(page, "+ Thêm cơ sở thụ hưởng")
    select = form.locator("select[name=facility]")
    assert select.locator("option").count() >= 14

    form.locator("input.picker-search").fill("che tan quang")  # no accents, any case
    expect(select.locator("option")).to_have_count(2)  # the empty choice and the tea
    select.select_option(label="Hợp tác xã chè Shan tuyết Tân Quang – " + province.commune.name)
    SCREENSHOTS.mkdir(exist_ok=True)
    form.screenshot(path=SCREENSHOTS / "picker-desktop.png")
    form.get_by_label("Kinh phí hỗ trợ").fill("50.000.000")
    form.get_by_role("button", name="Thêm cơ sở").click()
    expect(messages(page)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Hợp tác xã chè Shan tuyết Tân Quang")
    assert scheme.beneficiaries.count() == 1
