"""The type check of an upload reads a bounded prefix of an Office file's parts: a small file
whose [Content_Types].xml inflates to a huge size is refused, in Vietnamese, without the server
inflating it (a 1 MB upload once took the worker from 145 MB to 2.2 GB)."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.uploads import CONTENT_TYPES_LIMIT, DOCX, XLSX, check_upload

MB = 1024 * 1024
DOCX_TYPES = (
    b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
)


def office_file(types, name="hop-dong.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml", b"<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_real_word_file_passes():
    assert check_upload(office_file(DOCX_TYPES + b"</Types>")) == DOCX


def test_a_part_inflating_to_hundreds_of_megabytes_is_refused_without_inflating_it():
    # 200 MB of spaces after the real declaration, and the macro flag at the very end.
    bomb = office_file(DOCX_TYPES + b" " * (200 * MB) + b"macroEnabled</Types>")
    assert bomb.size < MB
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="lớn bất thường") as refused:
            check_upload(bomb)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.code == "inflated"
    assert peak < 4 * CONTENT_TYPES_LIMIT  # read a prefix, not the 200 MB


def test_a_workbook_declaring_a_thousand_sheets_still_passes():
    sheets = b"".join(
        b'<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % n
        for n in range(1000)
    )
    types = (
        b'<?xml version="1.0"?><Types><Override PartName="/xl/workbook.xml" ContentType="'
        b'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + sheets
        + b"</Types>"
    )
    assert len(types) < CONTENT_TYPES_LIMIT
    assert check_upload(office_file(types, "so-lieu.xlsx")) == XLSX
