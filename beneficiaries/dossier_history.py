"""A request's history with its dossier's files: the request's own changes and each document
uploaded to or removed from its dossier, who and when. One query more than the request's."""

from dataclasses import dataclass, field

from khuyencong.history import history_rows

from .models import Document

VERBS = {"+": "Tải lên hồ sơ", "-": "Xóa khỏi hồ sơ"}


@dataclass
class DossierEvent:
    when: object
    who: object
    action: str
    detail: str = ""
    changes: list = field(default_factory=list)


def _describe(record):
    kind = record.kind.name if record.kind_id and record.kind else "Tài liệu khác"
    return f"{kind} — {record.original_name or record.title}"


def request_history(support_request, limit=20):
    """Newest first: the request's history rows and its dossier's uploads and removals."""
    events = list(history_rows(support_request, limit))
    records = (
        Document.history.filter(request_id=support_request.pk, history_type__in=list(VERBS))
        .select_related("history_user", "kind")
        .order_by("-history_date")[:limit]
    )
    events += [
        DossierEvent(r.history_date, r.history_user, VERBS[r.history_type], _describe(r))
        for r in records
    ]
    events.sort(key=lambda e: e.when, reverse=True)
    return events[:limit]
