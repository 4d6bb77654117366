"""Facilities and requests from spreadsheets: a preview of every row and error first, then all
rows in one transaction or none; bad files get a clear message, never a 500."""

import io
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries.models import Facility, ImportBatch, SupportRequest
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã cơ sở",
    "Tên cơ sở",
    "Loại hình",
    "Ngành nghề",
    "Xã, phường, thị trấn",
    "Địa chỉ",
    "Người đại diện",
    "Mã số thuế",
    "Điện thoại",
    "Thư điện tử",
    "Số lao động",
    "Sản phẩm chính",
]
UPLOAD = reverse("beneficiaries:facility_import")


def xlsx(rows, headers=HEADERS, name="co-so.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def row(province, name="Cơ sở chè Tân Quang", tax_code="5100000001", **changes):
    values = {
        "Mã cơ sở": None,
        "Tên cơ sở": name,
        "Loại hình": "Hộ kinh doanh",
        "Ngành nghề": "Chế biến nông, lâm sản, thực phẩm",
        "Xã, phường, thị trấn": f"{province.commune.code} – {province.commune.name}",
        "Địa chỉ": "Thôn Tân Thành",
        "Người đại diện": "Lý Văn Páo",
        "Mã số thuế": tax_code,
        "Điện thoại": "0912345678",
        "Thư điện tử": "",
        "Số lao động": 6,
        "Sản phẩm chính": "Chè",
    }
    values.update(changes)
    return [values[h] for h in HEADERS]


@pytest.fixture
def client_(tasks_here, login, district_user):
    f.SectorFactory()
    return login(district_user)


def upload(client, file):
    response = client.post(UPLOAD, {"file": file})
    if response.status_code == 302:
        return client.get(response.url), response.url
    return response, None


def test_good_rows_are_previewed_then_imported_in_one_go(client_, province, district_user):
    page, preview_url = upload(
        client_, xlsx([row(province), row(province, "Cơ sở mây tre Việt Vinh", "5100000002")])
    )
    assert "thêm 2" in page.content.decode()
    assert not Facility.objects.exists()  # a preview writes nothing
    done = client_.post(preview_url, follow=True)
    assert "thêm 2</strong>, <strong>sửa 0</strong> dòng" in done.content.decode()
    assert Facility.objects.count() == 2
    facility = Facility.objects.get(tax_code="5100000002")
    assert facility.search_text and facility.name_key == "co so may tre viet vinh"
    assert facility.created_by == district_user
    record = facility.history.get()
    assert (record.history_user, record.history_type) == (district_user, "+")
    assert record.history_change_reason == "Nhập từ tệp Excel"
    assert (record.name, record.tax_code, record.unit_id) == (
        facility.name,
        facility.tax_code,
        facility.unit_id,
    )


def test_one_bad_row_is_reported_by_line_and_column_and_nothing_is_written(client_, province):
    page, _ = upload(
        client_,
        xlsx(
            [
                row(province),
                row(province, "Cơ sở thứ hai", tax_code="12345"),
                row(province, "Ba", "5100000003"),
            ]
        ),
    )
    html = page.content.decode()
    assert "Tệp có 1 lỗi" in html
    assert '<td class="num" data-label="Dòng">3</td><td data-label="Cột">Mã số thuế</td>' in html
    assert "Mã số thuế gồm 10 chữ số" in html
    assert not Facility.objects.exists()


def test_the_apply_step_writes_nothing_when_a_row_went_bad_meanwhile(client_, province):
    _, preview_url = upload(client_, xlsx([row(province), row(province, "Hai", "5100000009")]))
    # Someone enters the same tax code between the preview and the confirmation.
    f.FacilityFactory(unit=province.commune, tax_code="5100000009")
    page = client_.post(preview_url, follow=True)
    assert "đã có ở cơ sở mã" in page.content.decode()
    assert Facility.objects.count() == 1
    assert ImportBatch.objects.get().status == "checked"  # back to its preview, not applied


def test_confirming_twice_imports_once(client_, province):
    _, preview_url = upload(client_, xlsx([row(province)]))
    client_.post(preview_url)
    again = client_.post(preview_url, follow=True)
    assert "đã được nhập" in again.content.decode()
    assert Facility.objects.count() == 1


def test_mixed_nfc_and_nfd_text_is_stored_nfc_and_matches_the_lists(client_, province):
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    rows = [
        row(
            province,
            nfd("Cơ sở rượu ngô Đồng Văn"),
            **{
                "Loại hình": nfd("Hộ kinh doanh"),
                "Ngành nghề": nfd("chế biến nông, lâm sản, thực phẩm"),
            },
        )
    ]
    _, preview_url = upload(client_, xlsx(rows))
    client_.post(preview_url)
    assert Facility.objects.get().name == "Cơ sở rượu ngô Đồng Văn"


def test_a_formula_cell_is_refused_and_exports_escape_formula_like_text(
    client_, province, district_user
):
    page, _ = upload(client_, xlsx([row(province, '=HYPERLINK("http://x","bấm")')]))
    assert "Ô chứa công thức" in page.content.decode()
    f.FacilityFactory(unit=province.commune, name="=1+2", owner_name="@SUM(A1)")
    export = client_.get(reverse("beneficiaries:facility_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
    values = [c.value for c in sheet[2]]
    assert "'=1+2" in values and "'@SUM(A1)" in values


def test_duplicate_tax_codes_in_the_file_or_the_database_are_errors(client_, province):
    f.FacilityFactory(unit=province.other_commune, tax_code="5100000007")
    page, _ = upload(
        client_,
        xlsx(
            [
                row(province, "Một", "5100000005"),
                row(province, "Hai", "5100000005"),
                row(province, "Ba", "5100000007"),
            ]
        ),
    )
    html = page.content.decode()
    assert "xuất hiện nhiều lần trong tệp" in html
    assert "Mã số thuế 5100000007 đã có ở cơ sở mã" in html


def test_a_commune_outside_the_users_scope_is_an_error(client_, province):
    other = f"{province.other_commune.code} – {province.other_commune.name}"
    page, _ = upload(client_, xlsx([row(province, **{"Xã, phường, thị trấn": other})]))
    assert (
        "không có trong danh sách xã, phường, thị trấn thuộc phạm vi của bạn"
        in page.content.decode()
    )


def test_an_exported_file_updates_the_facilities_it_changes(client_, province):
    facility = f.FacilityFactory(unit=province.commune, phone="0912345678")
    f.FacilityFactory(unit=province.commune)
    export = client_.get(reverse("beneficiaries:facility_export"))
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    sheet = book.worksheets[0]
    for cells in sheet.iter_rows(min_row=2):
        if cells[0].value == facility.pk:
            cells[8].value = "0988 111 222"
    buffer = io.BytesIO()
    book.save(buffer)
    page, preview_url = upload(client_, SimpleUploadedFile("x.xlsx", buffer.getvalue()))
    html = page.content.decode()
    assert "sửa 1" in html and "1 dòng không đổi" in html
    assert "0912345678 → 0988111222" in html
    client_.post(preview_url)
    facility.refresh_from_db()
    assert facility.phone == "0988111222"
    record = facility.history.latest()
    assert (record.history_type, record.phone, record.history_change_reason) == (
        "~",
        "0988111222",
        "Nhập từ tệp Excel",
    )
    assert record.history_user.username == "bacquang"


def test_a_sheet_of_new_and_changed_rows_writes_both_with_their_history(client_, province):
    changed = f.FacilityFactory(unit=province.commune, workers=3)
    book = openpyxl.load_workbook(
        io.BytesIO(client_.get(reverse("beneficiaries:facility_export")).content)
    )
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=HEADERS.index("Số lao động") + 1, value=30)
    sheet.append(row(province))
    buffer = io.BytesIO()
    book.save(buffer)
    page, preview_url = upload(client_, SimpleUploadedFile("x.xlsx", buffer.getvalue()))
    assert "thêm 1" in page.content.decode() and "sửa 1" in page.content.decode()
    client_.post(preview_url)
    changed.refresh_from_db()
    new = Facility.objects.exclude(pk=changed.pk).get()
    assert (changed.workers, new.name, new.tax_code) == (30, "Cơ sở chè Tân Quang", "5100000001")
    assert [r.history_type for r in changed.history.order_by("history_id")] == ["+", "~"]
    assert [r.history_type for r in new.history.all()] == ["+"]


def test_an_id_outside_the_scope_is_not_updated(client_, province):
    theirs = f.FacilityFactory(unit=province.other_commune)
    page, _ = upload(client_, xlsx([row(province, **{"Mã cơ sở": theirs.pk})]))
    assert f"Không có cơ sở mã {theirs.pk} trong phạm vi của bạn" in page.content.decode()


@pytest.mark.parametrize(
    "file, message",
    [
        (SimpleUploadedFile("trong.xlsx", b""), "rỗng"),
        (SimpleUploadedFile("anh.xlsx", b"\x89PNG\r\n\x1a\n" + b"0" * 100), "không phải là loại"),
        (SimpleUploadedFile("hong.xlsx", b"PK\x03\x04" + b"\x00" * 200), "không phải là loại"),
        (xlsx([], headers=HEADERS), "không có dòng dữ liệu"),
        (xlsx([], headers=[None]), "không có dòng tiêu đề"),
    ],
    ids=["empty", "not-a-spreadsheet", "corrupt", "no-rows", "no-header"],
)
def test_a_bad_file_gets_a_clear_message(client_, file, message):
    """Refused on the upload form when the cheap checks see it; else on the batch's page, once
    the worker has read it, with nothing written."""
    page, preview_url = upload(client_, file)
    assert page.status_code == 200
    assert message in page.content.decode()
    if preview_url is None:
        assert not ImportBatch.objects.exists()
    else:
        assert ImportBatch.objects.get().status == "refused"
        assert not Facility.objects.exists()


def test_a_sheet_without_the_templates_columns_is_refused(client_):
    page, _ = upload(client_, xlsx([["Cơ sở A"]], headers=["Tên cơ sở"]))
    assert "Tệp thiếu cột" in page.content.decode()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client_, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"spreadsheetml.sheet.main")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    response = client_.post(UPLOAD, {"file": SimpleUploadedFile("bom.xlsx", buffer.getvalue())})
    assert "nén bất thường" in response.content.decode()


def test_a_huge_sheet_is_refused(client_, province, settings):
    settings.IMPORT_MAX_ROWS = 3
    page, _ = upload(client_, xlsx([row(province, f"C{i}", f"51000000{i:02d}") for i in range(5)]))
    assert "tối đa 3 dòng" in page.content.decode()


def test_another_users_batch_is_not_found(client_, province, colleague, client):
    _, preview_url = upload(client_, xlsx([row(province)]))
    client.force_login(colleague)
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url).status_code == 404
    assert not Facility.objects.exists()


def request_sheet(client, values):
    """A one-row sheet in the columns of the request template the client downloads."""
    template = client.get(reverse("beneficiaries:request_template"))
    headers = [
        c.value for c in openpyxl.load_workbook(io.BytesIO(template.content)).worksheets[0][1]
    ]
    return xlsx([[values.get(h) for h in headers]], headers=headers)


def test_requests_are_imported_as_drafts(tasks_here, login, district_user, province):
    facility = f.FacilityFactory(unit=province.commune)
    activity = f.ActivityTypeFactory()
    client = login(district_user)
    values = {
        "Mã cơ sở": f"{facility.pk} – {facility.name}",
        "Năm kế hoạch": 2024,
        "Nội dung hỗ trợ": f"{activity.code} – {activity.name}",
        "Nội dung đề nghị": "Máy vò chè",
        "Tổng kinh phí (đồng)": "350.000.000",
        "Kinh phí đối ứng (đồng)": 175_000_000,
        "Đề nghị hỗ trợ (đồng)": "0,175 tỷ",
        "Ưu tiên: sản phẩm thế mạnh địa phương": "Có",
    }
    file = request_sheet(client, values)
    response = client.post(reverse("beneficiaries:request_import"), {"file": file})
    assert response.status_code == 302, response.content.decode()
    page = client.get(response.url)
    assert "thêm 1" in page.content.decode()
    done = client.post(response.url, follow=True)
    assert "Đã nhập tệp" in done.content.decode()
    request = SupportRequest.objects.get()
    assert request.status == "draft" and request.support_requested == 175_000_000
    assert request.local_strength and not request.new_product
    assert request.created_by == district_user
    record = request.history.get()
    assert (record.history_type, record.history_user, record.status) == (
        "+",
        district_user,
        "draft",
    )


def test_the_facility_template_lists_the_allowed_values(login, district_user, province):
    f.SectorFactory()
    content = login(district_user).get(reverse("beneficiaries:facility_template")).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert [c.value for c in book["Cơ sở"][1]] == HEADERS
    lists = [[c.value for c in col] for col in book["Danh mục"].iter_cols()]
    assert "Hộ kinh doanh" in lists[0]
    assert f"{province.commune.code} – {province.commune.name}" in lists[2]
    assert f"{province.other_commune.code} – {province.other_commune.name}" not in lists[2]


def test_import_facilities_command_checks_then_writes(district_user, province, tmp_path):
    from django.core.management import CommandError, call_command

    f.SectorFactory()
    path = tmp_path / "co-so.xlsx"
    path.write_bytes(xlsx([row(province)]).read())
    call_command("import_facilities", str(path), "--dry-run", "--user", "bacquang")
    assert not Facility.objects.exists()
    call_command("import_facilities", str(path), "--user", "bacquang")
    assert Facility.objects.count() == 1
    with pytest.raises(CommandError, match="lỗi; không dòng nào được ghi"):
        call_command("import_facilities", str(path), "--user", "bacquang")  # now a duplicate
    out = tmp_path / "ra.xlsx"
    call_command("export_facilities", str(out), "--user", "bacquang")
    assert openpyxl.load_workbook(out).worksheets[0].max_row == 2


def test_a_sheet_unpacking_beyond_the_cap_is_refused_saying_the_limit(client_, province, settings):
    settings.IMPORT_MAX_UNPACKED_MB = 0
    response = client_.post(UPLOAD, {"file": xlsx([row(province)])})
    assert "quá giới hạn 0 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_sheet_too_slow_to_read_is_refused_saying_the_budget(client_, province, settings):
    settings.IMPORT_READ_SECONDS = 0
    page, _ = upload(client_, xlsx([row(province, f"C{i}") for i in range(3)]))
    assert "không đọc xong trong 0 giây" in page.content.decode()
    assert ImportBatch.objects.get().status == "refused"


def test_columns_beyond_the_header_are_not_read(province):
    """A sheet declaring 16,384 columns gives rows as wide as its header, not as its claim."""
    from khuyencong.spreadsheets import read_sheet

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tên cơ sở", "Xã"])
    sheet.append(["Cơ sở A", "Tân Quang"])
    sheet.cell(row=2, column=16384, value="x")  # far beyond the header
    buffer = io.BytesIO()
    book.save(buffer)
    data = read_sheet(SimpleUploadedFile("rong.xlsx", buffer.getvalue()))
    assert data.headers == ["Tên cơ sở", "Xã"]
    assert data.dict == [{"Tên cơ sở": "Cơ sở A", "Xã": "Tân Quang"}]
