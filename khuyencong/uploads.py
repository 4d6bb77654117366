"""Uploaded files: the type is read from the content (never trusted from the name), the size is
capped, and the stored name is ours, so a user's file name can never become a path."""

import re
import uuid
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from .text import nfc, search_key

# content type, extension, label shown to users
PDF = ("application/pdf", ".pdf", "PDF")
JPEG = ("image/jpeg", ".jpg", "ảnh JPEG")
PNG = ("image/png", ".png", "ảnh PNG")
DOCX = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
    "Word (.docx)",
)
XLSX = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsx",
    "Excel (.xlsx)",
)
DOCUMENT_TYPES = (PDF, JPEG, PNG, DOCX, XLSX)


# [Content_Types].xml of a real Word or Excel file is a few KB (a workbook of a thousand sheets,
# some 150 KB); the type check reads at most this much of it, inflating no more than that, so a
# small upload whose part inflates to gigabytes costs nothing.
CONTENT_TYPES_LIMIT = 512 * 1024


def _office_kind(file):
    """DOCX or XLSX for an Office Open XML zip, None for any other zip (macro-enabled included).
    A part larger than CONTENT_TYPES_LIMIT once inflated is refused, unread beyond the limit."""
    try:
        with zipfile.ZipFile(file) as archive, archive.open("[Content_Types].xml") as part:
            types = part.read(CONTENT_TYPES_LIMIT + 1)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError, zlib.error):
        return None
    if len(types) > CONTENT_TYPES_LIMIT:
        raise ValidationError(
            "Tệp Word/Excel có phần mô tả nội dung ([Content_Types].xml) lớn bất thường: quá "
            f"{CONTENT_TYPES_LIMIT // 1024} KB sau khi giải nén. Hãy lưu lại tệp bằng Word hoặc "
            "Excel rồi gửi lại.",
            code="inflated",
        )
    if b"macroEnabled" in types:
        return None
    if b"wordprocessingml.document.main" in types:
        return DOCX
    if b"spreadsheetml.sheet.main" in types:
        return XLSX
    return None


def sniff(file):
    """The (content type, extension, label) of `file` judged by its first bytes, or None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    found = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"PK\x03\x04"):
        try:
            found = _office_kind(file)
        finally:
            file.seek(0)
    return found


def max_upload_bytes():
    return settings.UPLOAD_MAX_MB * 1024 * 1024


def check_upload(file, allowed=DOCUMENT_TYPES, max_bytes=None):
    """The detected type of an upload within the size cap and the allowed types, or a
    ValidationError that says in Vietnamese what is wrong."""
    max_bytes = max_bytes or max_upload_bytes()
    if file.size == 0:
        raise ValidationError("Tệp rỗng, không có nội dung.", code="empty")
    if file.size > max_bytes:
        raise ValidationError(
            f"Tệp quá lớn ({file.size / 1048576:.1f} MB); tối đa {max_bytes // 1048576} MB.",
            code="too_big",
        )
    found = sniff(file)
    if found not in allowed:
        names = ", ".join(label for _, _, label in allowed)
        raise ValidationError(
            f"Tệp “{display_name(file.name)}” không phải là loại được nhận ({names}).",
            code="type",
        )
    return found


def display_name(name):
    """A user's file name for display only: NFC, no folders, at most 150 characters."""
    base = nfc(str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    return base[:150] or "tep"


def stored_name(folder, extension):
    """Where an upload is stored: our own random name under a dated folder."""
    return f"{folder}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{extension}"


# Several files sent at once (a dossier's): each named in its error, each given its kind.


def batch_errors(files, allowed=DOCUMENT_TYPES):
    """One Vietnamese message per file of `files` that check_upload refuses, naming the file."""
    errors = []
    for file in files:
        try:
            check_upload(file, allowed=allowed)
        except ValidationError as refusal:
            errors.append(f"{display_name(file.name)}: {' '.join(refusal.messages)}")
    return errors


def _words(text):
    return set(search_key(re.sub(r"[-_.]+", " ", str(text))).split())


def guess_kind(name, kinds):
    """The kind among `kinds` whose name shares most words (two at least) with a file's name:
    "giay-chung-nhan-dang-ky-kinh-doanh.pdf" is a "Giấy chứng nhận đăng ký kinh doanh"."""
    found, best = None, 1
    file_words = _words(name)
    for kind in kinds:
        score = len(file_words & {w for w in _words(kind.name) if len(w) > 1})
        if score > best:
            found, best = kind, score
    return found


def kinds_for_batch(names, chosen, kinds, provided=()):
    """The kind of each file named in `names`: the one chosen on its row (`chosen[i]`, None for
    "tài liệu khác"); a file with no row (a form sent without scripts) gets the kind its name
    suggests, else the next required kind not yet provided, else none."""
    taken = set(provided)
    result = []
    for number, name in enumerate(names):
        if number < len(chosen):
            kind = chosen[number]
        else:
            still = [k for k in kinds if k.pk not in taken]
            kind = guess_kind(name, still) or (still[0] if still else None)
        if kind is not None:
            taken.add(kind.pk)
        result.append(kind)
    return result
