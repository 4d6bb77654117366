"""Printing in the browser (issue 22): a scheme page and a request page on paper show the record
under a header naming the portal, the unit and the day printed, in dark text on white, and none
of the menu, the forms, the buttons or the "+ Ghi …" toggles; the scheme page's summary downloads
as a PDF."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.conftest import pdf_text
from tests.e2e.conftest import SCREENSHOTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
TR = 1_000_000
MENU = ("Tổng quan", "Xét duyệt nhu cầu", "Việc cần làm", "Đăng xuất", "Đổi mật khẩu")
# What only works on a screen; on paper none of it may take any room.
INTERACTIVE = "header.topbar, nav, footer, form, button, input, select, textarea, details, .toolbar"
SHOWN = """selector => [...document.querySelectorAll(selector)]
  .filter(e => e.getClientRects().length > 0)
  .map(e => e.tagName + '.' + e.className + ': ' + (e.innerText || '').slice(0, 40))"""


@pytest.fixture
def scheme(province):
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        code="ĐP-2022-07",
        title="Hỗ trợ máy sấy chè Shan tuyết",
        unit=province.district,
        status="in_progress",
        approval_number="12/QĐ-SCT",
        approval_date=datetime.date(2022, 3, 1),
        budget=300 * TR,
    )
    facility = f.FacilityFactory(unit=province.commune, name="HTX chè Tân Quang")
    link = f.SchemeBeneficiaryFactory(scheme=scheme, facility=facility, support_amount=250 * TR)
    f.SchemeItemFactory(scheme=scheme, description="Máy sấy chè", support_amount=250 * TR)
    contract = f.ContractFactory(scheme=scheme, beneficiary=link, number="07/2022/HĐ-KC")
    f.DisbursementFactory(contract=contract, amount=100 * TR)
    f.InspectionFactory(scheme=scheme, findings="Đã lắp máy", problems="Đường bị sạt lở")
    return scheme


def _screen_shots(page, name):
    """The page on screen, on a desktop and on a phone, with its printouts' buttons."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for width, label in ((1366, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"screen-{name}-{label}.png")


def _printed(page, name):
    """The page as printed: nothing interactive takes room, the header is there; its PDF text."""
    page.emulate_media(media="print")
    assert page.evaluate(SHOWN, INTERACTIVE) == []
    head = page.locator(".print-head")
    expect(head).to_be_visible()
    expect(head).to_contain_text(f"In ngày {timezone.localdate():%d/%m/%Y}")
    for selector in ("body", "h1", ".print-head"):
        color = page.eval_on_selector(selector, "e => getComputedStyle(e).color")
        assert color == "rgb(0, 0, 0)", selector
    assert page.eval_on_selector("body", "e => getComputedStyle(e).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )
    for width, label in ((1366, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"print-{name}-{label}.png", full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    (SCREENSHOTS / f"print-{name}.pdf").write_bytes(pdf)
    page.emulate_media(media="screen")
    return pdf_text(io.BytesIO(pdf)), pdf


def test_a_printed_scheme_page_shows_the_record_without_menu_forms_or_toggles(
    live_server, page, officer, scheme
):
    log_in(page, live_server.url, officer.username, f.PASSWORD)
    page.goto(live_server.url + reverse("schemes:scheme_detail", args=[scheme.pk]))
    # On screen the officer has the menu, the entry forms' toggles and the printouts.
    expect(page.get_by_text("+ Ghi hợp đồng")).to_be_visible()
    expect(page.get_by_role("link", name="In tóm tắt (PDF)")).to_be_visible()
    expect(page.locator(".print-head")).to_be_hidden()
    _screen_shots(page, "scheme")

    text, pdf = _printed(page, "scheme")
    for words in ("Cổng quản lý khuyến công", "ĐP-2022-07 – Hỗ trợ máy sấy chè Shan tuyết"):
        assert words in text
    for words in ("07/2022/HĐ-KC", "HTX chè Tân Quang", "Đường bị sạt lở", "Máy sấy chè"):
        assert words in text
    for words in ("+ Ghi", "+ Thêm", "+ Tài liệu", "In tóm tắt", "Sửa đề án", *MENU):
        assert words not in text, words
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 3

    with page.expect_download() as download:
        page.get_by_role("link", name="In tóm tắt (PDF)").click()
    path = download.value.path()
    assert download.value.suggested_filename == "tom-tat-dp-2022-07.pdf"
    assert "TÓM TẮT ĐỀ ÁN KHUYẾN CÔNG" in pdf_text(path)


def test_a_printed_request_page_leaves_out_its_steps_and_upload_form(
    live_server, page, district_user, province
):
    support_request = f.SupportRequestFactory(
        facility=f.FacilityFactory(unit=province.commune, name="HTX chè Tân Quang"),
        content="Mua máy vò chè",
        dossier=False,
    )
    log_in(page, live_server.url, district_user.username, f.PASSWORD)
    page.goto(live_server.url + reverse("beneficiaries:request_detail", args=[support_request.pk]))
    expect(page.get_by_role("button", name="Tải lên")).to_be_visible()
    expect(page.get_by_role("link", name="In phiếu đăng ký (PDF)")).to_be_visible()
    _screen_shots(page, "request")

    text, _pdf = _printed(page, "request")
    assert "Mua máy vò chè" in text and "HTX chè Tân Quang" in text
    for words in ("Tải hồ sơ lên", "Tải lên", "In phiếu đăng ký", "Sửa đăng ký", *MENU):
        assert words not in text, words
