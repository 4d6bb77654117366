"""The one writer of list exports: typed cells, escaped formulas, a totals row, a bound."""

import datetime
from io import BytesIO

import openpyxl
import pytest

from khuyencong.spreadsheets import Column, ListTooLong, list_workbook

COLUMNS = [
    Column("Tên", lambda r: r["name"], width=30),
    Column("Ngày", lambda r: r["day"], "date", 12),
    Column("Kinh phí (đồng)", lambda r: r["money"], "money", 18),
    Column("Số", lambda r: r["n"], "number", 8),
]
ROWS = [
    {
        "name": '=HYPERLINK("http://x")',
        "day": datetime.date(2026, 3, 1),
        "money": 1_200_000_000,
        "n": 3,
    },
    {"name": "Hợp tác xã chè", "day": None, "money": 350_000_000, "n": 4},
]


def _sheet(content):
    return openpyxl.load_workbook(BytesIO(content)).active


def test_it_writes_typed_cells_a_frozen_filtered_header_and_a_totals_row():
    sheet = _sheet(list_workbook(title="Danh sách", columns=COLUMNS, rows=iter(ROWS)))
    assert [c.value for c in sheet[1]] == ["Tên", "Ngày", "Kinh phí (đồng)", "Số"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet["B2"].value == datetime.datetime(2026, 3, 1)  # a real date
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["C2"].value == 1_200_000_000 and sheet["C2"].number_format == "#,##0"
    assert [c.value for c in sheet[4]] == ["Tổng cộng (2 dòng)", None, 1_550_000_000, None]
    assert sheet["A4"].font.bold
    assert sheet.max_row == 4


def test_a_text_that_looks_like_a_formula_comes_out_as_text():
    sheet = _sheet(list_workbook(title="Danh sách", columns=COLUMNS, rows=ROWS))
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'


def test_a_list_without_money_has_no_totals_row():
    columns = [COLUMNS[0], COLUMNS[3]]
    sheet = _sheet(list_workbook(title="Danh sách", columns=columns, rows=ROWS))
    assert sheet.max_row == 3


def test_a_date_time_is_written_in_vietnam_time():
    moment = datetime.datetime(2026, 3, 1, 2, 30, tzinfo=datetime.UTC)
    columns = [Column("Gửi lúc", lambda r: r, "date")]
    sheet = _sheet(list_workbook(title="Danh sách", columns=columns, rows=[moment]))
    assert sheet["A2"].value == datetime.datetime(2026, 3, 1, 9, 30)
    assert sheet["A2"].number_format == "DD/MM/YYYY HH:MM"


def test_it_refuses_more_rows_than_one_export_holds():
    with pytest.raises(ListTooLong):
        list_workbook(title="Danh sách", columns=COLUMNS, rows=ROWS, max_rows=1)
