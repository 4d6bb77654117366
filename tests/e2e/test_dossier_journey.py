"""Files in the browser: a commune user sends two files of a request's dossier at once, each
given its kind on its row; an officer looks at an inspection's photos as thumbnails and in the
larger view (Esc closes it)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from beneficiaries.reference import ensure_document_kinds
from schemes import services, tasks
from tests import factories as f
from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.e2e.pages import messages

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _jpeg(colour):
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), colour).save(out, "JPEG")
    return out.getvalue()


def _shots(page, name, selector=None, viewport=False):
    SCREENSHOTS.mkdir(exist_ok=True)
    for label, width in (("desktop", 1366), ("phone", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        path = SCREENSHOTS / f"{name}-{label}.png"
        if selector:
            page.locator(selector).screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=not viewport)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_two_files_are_sent_at_once_each_with_its_kind(live_server, page, province, district_user):
    ensure_document_kinds()  # a browser test's database is emptied after each test, kinds too
    req = f.SupportRequestFactory(facility=f.FacilityFactory(unit=province.commune), dossier=False)
    log_in(page, live_server.url, district_user.username, f.PASSWORD)
    page.goto(f"{live_server.url}/requests/{req.pk}/")
    checklist = page.locator("#ho-so")
    missing = checklist.get_by_label("Còn thiếu").count()
    assert missing >= 2
    options = page.locator("[data-kind-options] option").all_text_contents()

    page.get_by_label("chọn được nhiều tệp").set_input_files(
        [
            {"name": "scan-1.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "scan-2.pdf", "mimeType": "application/pdf", "buffer": PDF},
        ]
    )
    rows = page.locator("[data-dossier-rows] li")
    expect(rows).to_have_count(2)
    # Each row preselects the next kind still missing; the second is changed by hand.
    first = page.get_by_label("scan-1.pdf")
    expect(first.locator("option:checked")).to_have_text(options[0])
    page.get_by_label("scan-2.pdf").select_option(label=options[2])
    _shots(page, "dossier-request-rows")
    page.get_by_role("button", name="Tải lên tất cả").click()
    expect(messages(page)).to_contain_text("Đã tải lên 2 tệp")
    expect(checklist.get_by_label("Còn thiếu")).to_have_count(missing - 2)
    expect(page.locator("table")).to_contain_text(f"{options[0]} — scan-1.pdf")
    expect(page.locator("table")).to_contain_text(f"{options[2]} — scan-2.pdf")
    _shots(page, "dossier-request-page")


def test_inspection_photos_open_in_a_larger_view(live_server, page, province, officer):
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.district,
        status="in_progress",
        approval_number="12/QĐ-SCT",
        approval_date=datetime.date(2022, 3, 1),
    )
    names = ["anh-xuong.jpg", "ảnh đường sạt lở.jpg", "máy mới.jpg"]
    colours = [(30, 120, 60), (150, 90, 40), (40, 80, 160)]
    inspection = services.inspection_record(
        scheme=scheme,
        user=officer,
        inspected_on=datetime.date(2022, 9, 14),
        inspectors="Trung tâm Khuyến công; Phòng Kinh tế huyện Bắc Quang",
        progress_percent=45,
        findings="Cơ sở đã làm xong nền đặt máy.",
        problems="Đường vào xã bị sạt lở, chưa vận chuyển được máy.",
        photos=[SimpleUploadedFile(n, _jpeg(c)) for n, c in zip(names, colours, strict=True)],
    )
    for photo in inspection.photos.all()[:2]:  # the third waits for the worker still
        tasks.make_thumbnail(photo.pk)
    log_in(page, live_server.url, officer.username, f.PASSWORD)
    page.goto(f"{live_server.url}/schemes/{scheme.pk}/#kiem-tra")
    thumbnails = page.locator("#kiem-tra .photos img")
    expect(thumbnails).to_have_count(3)
    _shots(page, "inspection-photos", "#kiem-tra")
    page.locator("#kiem-tra .photos a").nth(1).click()
    viewer = page.locator("dialog.photo-viewer")
    expect(viewer).to_be_visible()
    expect(viewer.locator("figcaption")).to_have_text("ảnh đường sạt lở.jpg (2/3)")
    _shots(page, "inspection-photo-viewer", viewport=True)
    page.keyboard.press("ArrowRight")
    expect(viewer.locator("figcaption")).to_have_text("máy mới.jpg (3/3)")
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()

    # The scheme's dossier takes several files at once too.
    page.get_by_text("+ Tải nhiều tệp một lần").click()
    page.locator("#ho-so").get_by_label("chọn được nhiều tệp").set_input_files(
        [
            {"name": "quyet-dinh-phe-duyet.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "du-toan.pdf", "mimeType": "application/pdf", "buffer": PDF},
        ]
    )
    expect(page.locator("#ho-so [data-dossier-rows] li")).to_have_count(2)
    _shots(page, "dossier-scheme-rows", "#ho-so")
