"""Change history for detail pages: who changed what, when (django-simple-history); and the
version an edit form remembers, so that an edit over someone else's later change is refused."""

import datetime
from dataclasses import dataclass, field

from .dates import format_datetime_vn
from .money import format_vnd

HIDDEN_FIELDS = {"search_text", "updated_at", "created_at"}


@dataclass
class HistoryRow:
    record: object
    changes: list = field(default_factory=list)  # (label, old, new)

    @property
    def when(self):
        return self.record.history_date

    @property
    def who(self):
        return self.record.history_user

    @property
    def action(self):
        reason = self.record.history_change_reason
        if reason:
            return reason
        return {"+": "Tạo mới", "-": "Xóa"}.get(self.record.history_type, "Cập nhật")


def _shown(model, name, value):
    field_ = model._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if field_.choices:
        return dict(field_.flatchoices).get(value, value)
    if getattr(field_, "is_money", False):
        return format_vnd(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime.datetime):
        return format_datetime_vn(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def history_rows(obj, limit=20, related=()):
    """The latest `limit` history records of obj, newest first, each with the fields it changed
    (labels and old/new values). Two queries, whatever the number of records."""
    records = list(
        obj.history.select_related("history_user", *related).order_by("-history_date", "-pk")[
            : limit + 1
        ]
    )
    if not records:  # rows written in bulk (bench data) have no history
        return []
    model = type(obj)
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        row = HistoryRow(newer)
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older, excluded_fields=HIDDEN_FIELDS)
            for change in delta.changes:
                field_ = model._meta.get_field(change.field)
                old, new = change.old, change.new
                if field_.is_relation:
                    old, new = (_related_name(field_, v) for v in (old, new))
                else:
                    old, new = _shown(model, change.field, old), _shown(model, change.field, new)
                row.changes.append((field_.verbose_name, old, new))
        rows.append(row)
    return rows[:limit]


def _related_name(field_, pk):
    if pk in (None, ""):
        return "—"
    target = field_.related_model._default_manager.filter(pk=pk).first()
    return str(target) if target else f"#{pk}"


def version_of(record):
    """What an edit form remembers of the record it shows: when the record was last saved."""
    return record.updated_at.isoformat() if record.updated_at else ""


def edited_since(record, seen):
    """Why an edit made on a form opened at version `seen` may not be saved: the record was
    saved again since, by someone else or in another tab. "" when nothing stands in the way
    (a form without a version, as from an import or a test, is not checked)."""
    if not record.pk or not seen or seen == version_of(record):
        return ""
    latest = record.history.select_related("history_user").first()
    by = f" bởi {latest.history_user}" if latest and latest.history_user else ""
    when = format_datetime_vn(record.updated_at)
    return (
        f"Hồ sơ này vừa được sửa{by} lúc {when}, sau khi bạn mở trang. Hãy mở lại "
        "trang để xem thay đổi đó rồi sửa tiếp; thay đổi của bạn chưa được lưu."
    )
