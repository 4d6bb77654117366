"""District intake in the browser: a district user of the demo province enters a facility,
files its support request with a complete dossier and sends it to the province, then imports
facilities from the spreadsheet template (an error first, nothing written; then the fix)."""

import datetime
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter

from beneficiaries.models import Facility
from tests.e2e.conftest import agree, log_in
from tests.e2e.pages import messages

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

ACTIVITY = "03.3 – Ứng dụng máy móc thiết bị tiên tiến vào sản xuất"
# For 03.3: the four documents every request needs, and the two of group 03 (machines).
REQUIRED_DOCUMENTS = 6
COMMUNE = "T0006 – Xã Tân Quang"  # today's commune, as the template's list writes it


def tiny_pdf():
    """A one-page blank PDF of a few hundred bytes: what the upload checks take for a PDF."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert buffer.getvalue().startswith(b"%PDF-")
    return buffer.getvalue()


def nav_to_facilities(page):
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Cơ sở CNNT"
    ).click()
    expect(page.get_by_role("heading", name="Cơ sở công nghiệp nông thôn")).to_be_visible()


def listed(page):
    """How many facilities the list says it holds ('12 dòng' under the table)."""
    text = page.get_by_text(re.compile(r"\d+ dòng$")).inner_text()
    return int(re.search(r"(\d+) dòng$", text).group(1))


def test_district_user_enters_a_facility_files_a_request_and_sends_it(
    live_server, demo, page, shot
):
    log_in(page, live_server.url, "xatanquang")
    nav_to_facilities(page)

    # 1. A new facility, by hand.
    page.get_by_role("link", name="+ Thêm cơ sở").click()
    expect(page.get_by_role("heading", name="Thêm cơ sở CNNT")).to_be_visible()
    page.get_by_label("Tên cơ sở").fill("Hợp tác xã chè Shan tuyết Tân Quang")
    page.get_by_label("Loại hình").select_option(label="Hợp tác xã")
    page.get_by_label("Ngành nghề").select_option(label="Chế biến nông, lâm sản, thực phẩm")
    page.get_by_label("Xã, phường, thị trấn").select_option(label="Xã Tân Quang – Tỉnh Tuyên Quang")
    page.get_by_label("Địa chỉ").fill("Thôn Tân Thành, xã Tân Quang")
    page.get_by_label("Người đại diện").fill("Nguyễn Văn Thành")
    page.get_by_label("Mã số thuế").fill("5100990011")
    page.get_by_label("Điện thoại").fill("0912 345 680")
    page.get_by_label("Số lao động").fill("18")
    shot("intake-01-facility-form")
    page.get_by_role("button", name="Lưu cơ sở").click()

    expect(
        page.get_by_role("heading", name="Hợp tác xã chè Shan tuyết Tân Quang", level=1)
    ).to_be_visible()
    expect(messages(page)).to_contain_text("Đã lưu cơ sở “Hợp tác xã chè Shan tuyết Tân Quang”.")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Xã Tân Quang, Tỉnh Tuyên Quang")
    expect(facts).to_contain_text("5100990011")
    expect(facts).to_contain_text("0912345680")  # written plainly
    expect(page.get_by_text("Chưa có đăng ký nào.")).to_be_visible()
    shot("intake-02-facility-detail")

    # 2. Its support request: a draft, the dossier, the refusal, the uploads, the submission.
    page.get_by_role("link", name="+ Đăng ký nhu cầu").click()
    expect(page.get_by_role("heading", name="Đăng ký nhu cầu hỗ trợ")).to_be_visible()
    facility_pk = re.search(r"[?&]facility=(\d+)", page.url).group(1)
    facility_select = page.get_by_role("combobox", name="Cơ sở", exact=True)
    expect(facility_select).to_have_value(facility_pk)
    assert "Hợp tác xã chè Shan tuyết Tân Quang" in facility_select.evaluate(
        "select => select.selectedOptions[0].textContent"
    )
    year = str(datetime.date.today().year + 1)
    page.get_by_label("Năm kế hoạch").fill(year)
    page.get_by_label("Nội dung hỗ trợ").select_option(label=ACTIVITY)
    page.get_by_label("Nội dung đề nghị").fill(
        "Hỗ trợ mua máy vò chè và máy sấy chè liên hoàn để nâng công suất chế biến."
    )
    page.get_by_label("Tổng kinh phí").fill("350.000.000")
    page.get_by_label("Kinh phí đối ứng").fill("175.000.000")
    page.get_by_label("Kinh phí đề nghị hỗ trợ").fill("175.000.000")
    page.get_by_label("Sản phẩm thế mạnh địa phương").check()
    shot("intake-03-request-form")
    page.get_by_role("button", name="Lưu nháp").click()

    expect(
        page.get_by_role(
            "heading", name=f"Ứng dụng máy móc thiết bị tiên tiến vào sản xuất ({year})"
        )
    ).to_be_visible()
    expect(messages(page)).to_contain_text("Đã lưu đăng ký.")
    expect(page.locator(".page-head .badge")).to_have_text("Nháp")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("350.000.000 đ")
    expect(facts).to_contain_text("175.000.000 đ")
    expect(facts).to_contain_text("Sản phẩm thế mạnh địa phương")
    checklist = page.locator(".card").filter(has=page.get_by_role("heading", name="Danh mục hồ sơ"))
    expect(checklist).to_contain_text(f"Còn thiếu {REQUIRED_DOCUMENTS} tài liệu bắt buộc.")
    expect(checklist.get_by_label("Còn thiếu")).to_have_count(REQUIRED_DOCUMENTS)
    expect(checklist).to_contain_text("Báo giá máy móc, thiết bị")  # asked for machines only
    shot("intake-04-request-draft")

    # While the dossier lacks documents "Gửi lên tỉnh" is shown disabled, with the reason.
    actions = page.get_by_label("Thao tác")
    expect(actions.get_by_role("button")).to_have_text(["Gửi lên tỉnh", "Rút đăng ký"])
    expect(page.get_by_role("button", name="Gửi lên tỉnh")).to_be_disabled()
    expect(actions).to_contain_text(f"Còn thiếu {REQUIRED_DOCUMENTS} tài liệu bắt buộc")

    expect(page.get_by_role("heading", name="Tải hồ sơ lên")).to_be_visible()
    kinds = [
        name.strip()
        for name in page.locator("[data-kind-options] option").all_text_contents()
        if name.strip() != "Tài liệu khác"
    ]
    assert len(kinds) == REQUIRED_DOCUMENTS, kinds
    pdf = tiny_pdf()

    def upload(kind, number):
        name = f"ho-so-{number}.pdf"
        page.get_by_label("chọn được nhiều tệp").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": pdf}
        )
        page.get_by_label(name).select_option(label=kind)
        page.get_by_role("button", name="Tải lên tất cả").click()
        expect(messages(page)).to_contain_text(f"Đã tải lên 1 tệp: {kind} — {name}.")

    for number, kind in enumerate(kinds, start=1):
        upload(kind, number)
        expect(checklist.get_by_label("Còn thiếu")).to_have_count(REQUIRED_DOCUMENTS - number)
    expect(checklist).to_contain_text("Đủ hồ sơ bắt buộc.")
    expect(checklist.get_by_label("Đã có")).to_have_count(REQUIRED_DOCUMENTS)
    expect(page.get_by_role("button", name="Gửi lên tỉnh")).to_be_enabled()
    shot("intake-05-dossier-complete")

    # A second tab removes a document; "Gửi lên tỉnh" in the first tab, now stale, is refused.
    other = page.context.new_page()
    other.goto(page.url)
    other.get_by_role("listitem").filter(has_text=kinds[-1]).get_by_role(
        "button", name="Xóa"
    ).click()
    agree(other)
    expect(other.locator("ul.messages")).to_contain_text(f"Đã xóa “{kinds[-1]}”.")
    other.close()
    page.get_by_role("button", name="Gửi lên tỉnh").click()
    agree(page)
    expect(messages(page)).to_contain_text(
        "Hồ sơ còn thiếu tài liệu bắt buộc: xem danh mục hồ sơ và tải lên trước khi gửi."
    )
    expect(page.locator(".page-head .badge")).to_have_text("Nháp")
    expect(checklist).to_contain_text("Còn thiếu 1 tài liệu bắt buộc.")
    shot("intake-06-submit-refused")

    upload(kinds[-1], len(kinds) + 1)
    expect(checklist).to_contain_text("Đủ hồ sơ bắt buộc.")
    page.get_by_role("button", name="Gửi lên tỉnh").click()
    agree(page)
    expect(messages(page)).to_contain_text("Đăng ký đã chuyển sang “Đã gửi”.")
    expect(page.locator(".page-head .badge")).to_have_text("Đã gửi")
    expect(page.get_by_role("button", name="Gửi lên tỉnh")).to_have_count(0)
    expect(page.locator("dl.facts")).not_to_contain_text("Chưa gửi")
    shot("intake-07-request-submitted")


def row_values(headers, **values):
    return [values.get(header) for header in headers]


def test_district_user_imports_facilities_from_the_template(
    live_server, celery_worker, demo, page, shot, tmp_path
):
    log_in(page, live_server.url, "xatanquang")
    nav_to_facilities(page)
    listed_before = listed(page)
    in_db_before = Facility.objects.count()

    # 3. The template: Vietnamese headers and the sheet of allowed values.
    page.get_by_role("link", name="Nhập từ Excel").click()
    expect(page.get_by_role("heading", name="Nhập cơ sở CNNT từ Excel")).to_be_visible()
    shot("intake-08-import-upload")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải tệp mẫu (.xlsx)").click()
    assert info.value.suggested_filename == "mau-nhap-co-so.xlsx"
    template = tmp_path / info.value.suggested_filename
    info.value.save_as(template)

    book = openpyxl.load_workbook(template)
    assert "Danh mục" in book.sheetnames
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for header in ("Tên cơ sở", "Loại hình", "Ngành nghề", "Xã, phường, thị trấn", "Mã số thuế"):
        assert header in headers
    lists = book["Danh mục"]
    allowed = {
        column[0].value: [cell.value for cell in column[1:] if cell.value]
        for column in lists.iter_cols()
    }
    assert "Hộ kinh doanh" in allowed["Loại hình"]
    assert COMMUNE in allowed["Xã, phường, thị trấn"]
    assert not any("Phong Quang" in c for c in allowed["Xã, phường, thị trấn"])  # Vị Xuyên's

    common = {
        "Loại hình": "Hộ kinh doanh",
        "Ngành nghề": "Chế biến nông, lâm sản, thực phẩm",
        "Xã, phường, thị trấn": COMMUNE,
        "Số lao động": 5,
    }
    rows = [
        {
            **common,
            "Tên cơ sở": "Hộ kinh doanh mật ong Tân Quang",
            "Địa chỉ": "Thôn Tân Lập",
            "Người đại diện": "Hoàng Văn Sơn",
            "Mã số thuế": "5100990021",
            "Điện thoại": "0912345681",
            "Sản phẩm chính": "Mật ong bạc hà",
        },
        {
            **common,
            "Tên cơ sở": "Hộ kinh doanh đan lát Tân Quang",
            "Người đại diện": "Triệu Thị Mai",
            "Mã số thuế": "5100990022",
            "Sản phẩm chính": "Gùi, nia, mẹt",
        },
        {
            **common,
            "Tên cơ sở": "Hộ kinh doanh miến dong Tân Quang",
            "Người đại diện": "Lý Văn Páo",
            "Mã số thuế": "12345",  # wrong: line 4 of the sheet
            "Sản phẩm chính": "Miến dong",
        },
    ]

    def upload(name):
        for number, values in enumerate(rows, start=2):
            for column, value in enumerate(row_values(headers, **values), start=1):
                sheet.cell(row=number, column=column, value=value)
        path = tmp_path / name
        book.save(path)
        page.get_by_label("Tệp Excel (.xlsx) theo mẫu").set_input_files(path)
        page.get_by_role("button", name="Tải lên và xem trước").click()
        expect(page.get_by_role("heading", name=f"Xem trước: {name}")).to_be_visible()

    upload("co-so-tan-quang.xlsx")
    # The worker reads the file; the page follows it and shows what it found.
    expect(page.get_by_role("alert")).to_contain_text(
        "Tệp có 1 lỗi, chưa nhập được dòng nào.", timeout=30_000
    )
    error = page.get_by_role("row").filter(has=page.locator("td.problem"))
    expect(error).to_have_count(1)
    expect(error.get_by_role("cell")).to_have_text(
        [
            "4",
            "Mã số thuế",
            re.compile(r"^Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang"),
        ]
    )
    expect(page.get_by_role("button", name=re.compile("Xác nhận"))).to_have_count(0)
    shot("intake-09-import-errors")
    assert Facility.objects.count() == in_db_before

    # Nothing was written: the list counts the same, and the good rows are not there.
    nav_to_facilities(page)
    assert listed(page) == listed_before
    page.get_by_label("Tìm kiếm").fill("mat ong tan quang")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(page.get_by_text("Không có cơ sở nào khớp bộ lọc.")).to_be_visible()

    # The fix, and the import for real.
    rows[2]["Mã số thuế"] = "5100990023"
    page.get_by_role("link", name="Nhập từ Excel").click()
    upload("co-so-tan-quang-da-sua.xlsx")
    expect(page.get_by_role("status")).to_have_text("Tệp hợp lệ: thêm 3, sửa 0.", timeout=30_000)
    expect(page.get_by_role("row").filter(has_text="Thêm mới")).to_have_count(3)
    shot("intake-10-import-preview")
    page.get_by_role("button", name="Xác nhận nhập 3 dòng").click()
    agree(page)
    expect(page.get_by_role("heading", name="Đã nhập: co-so-tan-quang-da-sua.xlsx")).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_role("status")).to_contain_text("thêm 3, sửa 0 dòng.")
    shot("intake-11-import-applied")
    page.get_by_role("link", name="Về danh sách").click()

    expect(page.get_by_role("heading", name="Cơ sở công nghiệp nông thôn")).to_be_visible()
    assert listed(page) == listed_before + 3
    assert Facility.objects.count() == in_db_before + 3
    shot("intake-12-import-listed")

    page.get_by_label("Tìm kiếm").fill("mat ong tan quang")
    page.get_by_role("button", name="Lọc", exact=True).click()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Hộ kinh doanh mật ong Tân Quang")).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(2)  # the header and the one facility
    expect(table).to_contain_text("Xã Tân Quang")
    expect(table).to_contain_text("5100990021")
    shot("intake-13-facility-search")
