"""Reading and writing .xlsx files safely: uploads are refused early when they are not a
spreadsheet, too big, a zip bomb or a huge sheet; cells that a spreadsheet program would run
as a formula are written as text."""

import dataclasses
import datetime
import io
import time
import zipfile
from collections.abc import Callable

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .fields import EXCEL_CELL_LIMIT
from .money import format_vnd
from .text import nfc
from .uploads import XLSX, check_upload

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A real sheet compresses maybe 10×; far more means a zip bomb.
MAX_UNCOMPRESSED_RATIO = 100
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def escape_formula(value):
    """Text that starts like a formula is prefixed with an apostrophe, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _whole(value):
    """A cell's value as written; a text longer than a cell holds is an error, never cut (which
    openpyxl would do without a word). Entry limits (LimitedTextField) keep texts below it."""
    value = escape_formula(value)
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        raise ValueError(f"a text of {len(value)} characters does not fit in an Excel cell")
    return value


def listed_in_cell(items, separator="; "):
    """Texts joined in one Excel cell. When they do not fit, as many as fit and, said in the
    cell, how many more there are: never a list cut without a word."""
    items = list(items)
    text = separator.join(items)
    if len(text) <= EXCEL_CELL_LIMIT:
        return text
    kept, length = [], 0
    for item in items:
        tail = f"{separator}… và {len(items) - len(kept):,} mục khác (xem trên cổng)"
        if length + len(separator) + len(item) + len(tail) > EXCEL_CELL_LIMIT:
            break
        kept.append(item)
        length += len(separator) + len(item)
    more = f"{len(items) - len(kept):,}".replace(",", ".")
    return f"{separator.join(kept)}{separator}… và {more} mục khác (xem trên cổng)"


def check_sheet_file(file):
    """The checks of an uploaded .xlsx that cost little whatever the file holds (its type from
    a bounded prefix, its sizes from the zip's directory): fit for a web request, before the
    file is stored. Raises ValidationError with a Vietnamese message."""
    check_upload(file, allowed=(XLSX,), max_bytes=settings.IMPORT_MAX_MB * 1024 * 1024)
    _check_unpacked_size(file)
    file.seek(0)


def read_sheet(file, *, max_rows=None):
    """The first sheet of an uploaded .xlsx as a tablib Dataset with NFC text and the header
    row as headers; empty rows are dropped. Raises ValidationError with a Vietnamese message.
    Reading takes up to IMPORT_READ_SECONDS: in the worker, not in a web request."""
    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    check_sheet_file(file)
    timed = _TimedFile(file, settings.IMPORT_READ_SECONDS)
    try:
        # Formulas are read as written (data_only=False), so that an import can refuse them
        # instead of taking a value the file merely cached.
        book = openpyxl.load_workbook(timed, read_only=True, data_only=False)
    except _OutOfTime:
        raise _too_slow(0) from None
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise _corrupt() from error
    count = 0
    try:
        sheet = book.worksheets[0]
        if sheet.max_row and sheet.max_row > max_rows + 1:
            raise ValidationError(
                f"Tệp có {format_vnd(sheet.max_row - 1, unit=False)} dòng; mỗi lần chỉ "
                f"nhập tối đa {format_vnd(max_rows, unit=False)} dòng.",
                code="too_many_rows",
            )
        header = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if not header or not any(header):
            raise ValidationError("Tệp không có dòng tiêu đề; hãy dùng tệp mẫu.", code="empty")
        headers = [nfc(h) if h is not None else "" for h in header]
        while headers and not headers[-1]:  # a sheet may claim thousands of empty columns
            headers.pop()
        width = len(headers)
        # Only the header's columns: the rest are never made into values (a sheet of 1,000
        # columns to the template's 20 costs the parsing, not a thousand values a row).
        rows = sheet.iter_rows(min_row=2, max_col=width, values_only=True)
        data = tablib.Dataset(headers=headers)
        # The sheet's own line numbers, so that errors name the line the user sees.
        data.line_numbers = []
        data.text_is_nfc = True  # each text cell goes through nfc() below
        for count, row in enumerate(rows, start=1):
            if count > max_rows:
                raise ValidationError(
                    f"Mỗi lần chỉ nhập tối đa {format_vnd(max_rows, unit=False)} dòng.",
                    code="too_many_rows",
                )
            values = [nfc(v) if isinstance(v, str) else v for v in row[:width]]
            values += [None] * (width - len(values))
            if any(v not in (None, "") for v in values):
                data.append(values)
                data.line_numbers.append(count + 1)
    except ValidationError:
        raise
    except _OutOfTime:
        raise _too_slow(count) from None
    except Exception as error:  # read-only mode parses the sheet only now, row by row
        raise _corrupt() from error
    finally:
        book.close()
    if not data.height:
        raise ValidationError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.", code="empty")
    return data


class _OutOfTime(Exception):
    pass


class _TimedFile:
    """The upload as openpyxl reads it, refusing to give more bytes once `seconds` have passed:
    every parse of the sheet (openpyxl reads a sheet without a declared size whole just to
    open it) reads through here, so none outlasts the budget by more than a chunk."""

    def __init__(self, file, seconds):
        self.file = file
        self.deadline = time.monotonic() + seconds

    def read(self, *args):
        if time.monotonic() > self.deadline:
            raise _OutOfTime
        return self.file.read(*args)

    def __getattr__(self, name):  # seek, tell, seekable … as the upload's own
        return getattr(self.file, name)


def _too_slow(rows_read):
    return ValidationError(
        f"Tệp quá nặng: không đọc xong trong {settings.IMPORT_READ_SECONDS:g} giây (đã đọc "
        f"{format_vnd(rows_read, unit=False)} dòng). Hãy bỏ các cột, trang tính thừa hoặc chia "
        "tệp rồi gửi lại.",
        code="too_slow",
    )


def _check_unpacked_size(file):
    """Refuse, from the zip's directory alone, a file that would unpack beyond the cap or
    compresses far better than a sheet does (a zip bomb). Reading a member stops at its declared
    size, so the declared sizes bound what reading it can cost."""
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    file.seek(0)
    if unpacked > file.size * MAX_UNCOMPRESSED_RATIO and unpacked > 50 * 1024 * 1024:
        raise ValidationError("Tệp Excel bị nén bất thường và không được đọc.", code="zip_bomb")
    cap = settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024
    if unpacked > cap:
        raise ValidationError(
            f"Tệp Excel khi giải nén lớn {unpacked / 1048576:.0f} MB, quá giới hạn "
            f"{settings.IMPORT_MAX_UNPACKED_MB} MB. Hãy bỏ các cột, trang tính thừa hoặc chia "
            "tệp rồi gửi lại.",
            code="too_big_unpacked",
        )


def _corrupt():
    return ValidationError(
        "Không đọc được tệp Excel (tệp hỏng hoặc không đúng định dạng .xlsx).", code="corrupt"
    )


def write_workbook(sheets):
    """Bytes of an .xlsx file. `sheets` is a list of dicts: title, headers, rows, and optional
    widths, money_columns (1-based, shown grouped), and choices ({column index: name of a list
    on another sheet}) for drop-downs."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(spec["title"])
        sheet.append(spec["headers"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in spec.get("rows", ()):
            sheet.append([_whole(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"  # a real date, shown the Vietnamese way
        for column in spec.get("money_columns", ()):
            for cell in sheet[get_column_letter(column)][1:]:
                cell.number_format = "#,##0"  # shown with the reader's own separators
        for index, width in enumerate(spec.get("widths", ()), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        for column, (list_sheet, list_column, length) in spec.get("choices", {}).items():
            letter = get_column_letter(list_column)
            source = f"{quote_sheetname(list_sheet)}!${letter}$2:${letter}${max(length + 1, 2)}"
            validation = DataValidation(type="list", formula1=source, allow_blank=True)
            validation.error = "Hãy chọn một giá trị trong danh sách."
            validation.errorTitle = "Giá trị không hợp lệ"
            sheet.add_data_validation(validation)
            col = get_column_letter(column)
            validation.add(f"{col}2:{col}10000")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = XLSX[0]


# A list page's export: its filtered rows, all pages, each column typed.
LIST_EXPORT_MAX_ROWS = 100_000
TOTAL_LABEL = "Tổng cộng"


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a list export: its Vietnamese header, how to read a row's value, its kind
    ("text", "number", "money" — whole đồng, summed in the totals row —, "date") and width."""

    header: str
    value: Callable
    kind: str = "text"
    width: int = 18


class ListTooLong(Exception):
    """More rows than one export holds (LIST_EXPORT_MAX_ROWS)."""


def _typed_cell(sheet, value, kind):
    if kind == "date" and isinstance(value, datetime.datetime):
        value = timezone.localtime(value).replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, _whole(value))
    if kind == "money" or kind == "number":
        cell.number_format = "#,##0"
    elif kind == "date" and value is not None:
        has_time = isinstance(value, datetime.datetime)
        cell.number_format = "DD/MM/YYYY HH:MM" if has_time else "DD/MM/YYYY"
    return cell


def list_workbook(*, title, columns, rows, max_rows=LIST_EXPORT_MAX_ROWS):
    """Bytes of an .xlsx of a list: a bold, frozen header row with a filter, one line per row
    (written as they come, so a long list is never held as cells), and when there are money
    columns a "Tổng cộng" line with their sums. Texts that look like formulas stay text.
    Raises ListTooLong past `max_rows` rows (pass an iterable of at most max_rows + 1)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    sums = [0 if c.kind == "money" else None for c in columns]
    count = 0
    for row in rows:
        count += 1
        if count > max_rows:
            sheet.close()  # ends the sheet's file, which openpyxl writes as rows come
            raise ListTooLong(max_rows)
        values = [column.value(row) for column in columns]
        for index, value in enumerate(values):
            if sums[index] is not None and value:
                sums[index] += value
        sheet.append([_typed_cell(sheet, v, c.kind) for v, c in zip(values, columns, strict=True)])
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    if any(s is not None for s in sums):
        label = f"{TOTAL_LABEL} ({format_vnd(count, unit=False)} dòng)"
        line = [label if i == 0 else s for i, s in enumerate(sums)]
        cells = [_typed_cell(sheet, v, "money" if i else "text") for i, v in enumerate(line)]
        for cell in cells:
            cell.font = Font(bold=True)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
