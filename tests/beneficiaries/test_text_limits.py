"""Long texts are refused with a word, never cut: a text field that goes to Excel has a limit
below what a cell holds (khuyencong.fields), the form and the import's row checks refuse a
longer text in Vietnamese, and an export keeps every text whole."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries.models import Facility, SupportRequest
from khuyencong.fields import EXCEL_CELL_LIMIT, LONG_TEXT, SHORT_TEXT
from khuyencong.spreadsheets import write_workbook
from schemes.models import Scheme
from tests import factories as f
from tests.beneficiaries.test_facility_form import URL as FACILITY_FORM
from tests.beneficiaries.test_facility_form import data  # noqa: F401 (a fixture)
from tests.beneficiaries.test_imports import (  # noqa: F401 (client_ is a fixture)
    UPLOAD,
    client_,
    request_sheet,
    row,
    upload,
    xlsx,
)

pytestmark = pytest.mark.django_db

TOO_LONG = "quá mức tối đa"
# A text as people write it: Vietnamese, on several lines, with a tab; not one letter repeated.
LINE = "Chè Shan tuyết sấy khô,\tđóng gói 500 g; bán ở chợ phiên Việt Vinh.\n"


def text_of(length):
    """A text of exactly `length` characters, ending in a full stop (not a space, which is
    trimmed)."""
    return (LINE * (length // len(LINE) + 1))[: length - 1] + "."


def test_a_facility_with_a_40000_character_text_is_refused_in_the_form(
    login,
    district_user,
    data,  # noqa: F811
):
    data["products"] = text_of(40_000)
    response = login(district_user).post(FACILITY_FORM, data)
    assert response.status_code == 200
    assert f"Nội dung dài 40000 ký tự, {TOO_LONG} {SHORT_TEXT} ký tự" in response.text
    assert 'maxlength="' not in response.text.split('name="products"')[1].split(">")[0]
    assert not Facility.objects.exists()


def test_the_form_field_takes_its_limit_from_the_model_field():
    field = Scheme._meta.get_field("description")
    assert field.max_length == LONG_TEXT and field.formfield().max_length == LONG_TEXT
    too_long = field.formfield()
    assert not too_long.widget.attrs.get("maxlength")  # a browser would cut a paste silently


def test_a_sheet_row_with_a_too_long_cell_is_refused_with_the_message(client_, province):  # noqa: F811
    page, _ = upload(client_, xlsx([row(province, **{"Sản phẩm chính": text_of(20_000)})]))
    html = page.content.decode()
    assert (
        "Tệp có 1 lỗi" in html
        and ('<td class="num" data-label="Dòng">2</td><td data-label="Cột">Sản phẩm chính</td>')
        in html
    )
    assert f"Nội dung dài 20000 ký tự, {TOO_LONG} {SHORT_TEXT} ký tự" in html
    assert not Facility.objects.exists()


def test_a_request_sheet_with_a_too_long_content_is_refused(
    tasks_here, login, district_user, province
):
    facility = f.FacilityFactory(unit=province.commune)
    activity = f.ActivityTypeFactory()
    client = login(district_user)
    values = {
        "Mã cơ sở": f"{facility.pk} – {facility.name}",
        "Năm kế hoạch": 2024,
        "Nội dung hỗ trợ": f"{activity.code} – {activity.name}",
        "Nội dung đề nghị": text_of(LONG_TEXT + 1),
        "Tổng kinh phí (đồng)": 350_000_000,
        "Kinh phí đối ứng (đồng)": 175_000_000,
        "Đề nghị hỗ trợ (đồng)": 175_000_000,
    }
    file = request_sheet(client, values)
    response = client.post(reverse("beneficiaries:request_import"), {"file": file})
    page = client.get(response.url) if response.status_code == 302 else response
    assert f"Nội dung dài {LONG_TEXT + 1} ký tự, {TOO_LONG} {LONG_TEXT} ký tự" in page.text
    assert not SupportRequest.objects.exists()


def test_a_long_but_allowed_text_survives_export_and_reimport_unchanged(client_, province):  # noqa: F811
    products = text_of(SHORT_TEXT)
    facility = f.FacilityFactory(unit=province.commune, products=products)
    facility.full_clean()  # allowed: exactly at the limit
    export = client_.get(reverse("beneficiaries:facility_export"))
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert products in [c.value for c in book.worksheets[0][2]]  # the cell holds it whole
    page, preview_url = upload(client_, SimpleUploadedFile("x.xlsx", export.content))
    assert "1 dòng không đổi" in page.content.decode()
    client_.post(preview_url)
    facility.refresh_from_db()
    assert facility.products == products


def test_an_export_refuses_to_cut_a_text_longer_than_a_cell():
    sheet = {"title": "Cơ sở", "headers": ["Sản phẩm"], "rows": [[text_of(EXCEL_CELL_LIMIT + 1)]]}
    with pytest.raises(ValueError, match="does not fit in an Excel cell"):
        write_workbook([sheet])
    sheet["rows"] = [[text_of(EXCEL_CELL_LIMIT)]]
    cell = openpyxl.load_workbook(io.BytesIO(write_workbook([sheet]))).worksheets[0]["A2"]
    assert len(cell.value) == EXCEL_CELL_LIMIT


def test_a_list_too_long_for_a_cell_says_how_many_are_left_out():
    from khuyencong.fields import EXCEL_CELL_LIMIT
    from khuyencong.spreadsheets import listed_in_cell, write_workbook

    names = [f"Hợp tác xã chè Shan tuyết số {n} (Xã Tân Quang)" for n in range(1, 1001)]
    cell = listed_in_cell(names)
    assert len(cell) <= EXCEL_CELL_LIMIT
    shown = cell.count("Hợp tác xã")
    assert cell.endswith(f"… và {1000 - shown} mục khác (xem trên cổng)")
    assert listed_in_cell(names[:3]) == "; ".join(names[:3])
    write_workbook([{"title": "Kế hoạch", "headers": ["Cơ sở thụ hưởng"], "rows": [[cell]]}])
