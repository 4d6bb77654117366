"""Work that waits for a user in the life cycles ("Chờ bạn xử lý"): the plans, schemes and
requests whose next step — the transition the model declares with `"next": True` — his role
takes, in his scope (`visible_to`). Read from the same declaration as the record's page and its
buttons (khuyencong.workflow.waiting_states), so a state or step added to a life cycle is listed
here with no change.

Two queries per model for the page (the first SHOWN records of each group, with the group's
size, by window functions; then what is shown of them), and for the menu's badge one query per
model with the due kinds over the same model (task_counts), whatever the number of records.

- A step that waits for another role first is listed for that role: a scheme awaiting
  acceptance whose passed acceptance minutes are not recorded yet is the officer's ("Ghi kết quả
  nghiệm thu"), the manager's once they are (HANDOVERS).
- A record that a deadline item already lists (a draft request whose dossier is due, a scheme
  past its end date, an acceptance due for settlement) is left out here: the deadline item, with
  its date, stands for it (selectors.Kind.covers).
- Requests are grouped by plan year as well: the officer's queue is a year's; no figure is
  summed across years.
- Administrators take no step of their own (they may run any, to mend): nothing waits for them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import SupportRequest
from khuyencong.workflow import waiting_states
from schemes.models import Acceptance, Plan, Scheme

from .models import NOTICE, Notification
from .selectors import KINDS, _url_of, due_rows
from .steps import step_label

# Records shown per group; the group's heading counts them all and links to the full list.
SHOWN = 20


@dataclass(frozen=True)
class Handover:
    """In `state`, the step waits for `role` (with `label`, put right at `fix`) until `ready`
    (an Exists on the record) holds."""

    state: str
    ready: object
    role: str
    label: str
    fix: str = ""


def _passed_acceptance():
    return Exists(Acceptance.objects.filter(scheme=OuterRef("pk"), result=Acceptance.Result.PASSED))


# At most one per model (the page groups its records by `ready`).
HANDOVERS = {
    Scheme: [
        Handover(
            Scheme.Status.AWAITING_ACCEPTANCE,
            _passed_acceptance,
            "officer",
            "Ghi kết quả nghiệm thu (biên bản đạt)",
            "#nghiem-thu",
        )
    ],
}


@dataclass(frozen=True)
class Source:
    model: type
    noun: str
    detail_view: str
    list_view: str
    place: str  # lookup of the unit's name shown
    title_fields: tuple
    year_groups: bool = False

    def title(self, row):
        return " – ".join(str(row[name]) for name in self.title_fields if row[name])


SOURCES = [
    Source(Plan, "Kế hoạch", "plans:plan_detail", "plans:plan_list", "unit__name", ("title",)),
    Source(
        Scheme,
        "Đề án",
        "schemes:scheme_detail",
        "schemes:scheme_list",
        "unit__name",
        ("code", "title"),
    ),
    Source(
        SupportRequest,
        "Đăng ký nhu cầu",
        "beneficiaries:request_detail",
        "beneficiaries:request_list",
        "facility__unit__name",
        ("facility__name", "activity_type__name"),
        year_groups=True,
    ),
]


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    place: str
    since: datetime.date
    days_waiting: int


@dataclass
class WorkGroup:
    """The records of one model waiting at one step (and, for requests, of one plan year)."""

    noun: str
    step: str
    status_label: str
    year: int | None
    total: int
    more_url: str
    items: list = field(default_factory=list)

    @property
    def label(self):
        year = f" năm {self.year}" if self.year else ""
        return f"{self.noun}{year} – {self.status_label.lower()}"

    @property
    def hidden(self):
        return self.total - len(self.items)


def _role(user):
    if not user.is_authenticated or not user.is_active or user.sees_everything:
        return None
    return user.role


def _waiting_q(source, user, rows):
    """(Q, states): the Q, on the source's records the user sees, of those waiting for him,
    and the states they may be in; None if none can. `rows`: the user's due kinds
    (selectors.due_rows); what they list is left out."""
    role = _role(user)
    if role is None:
        return None
    model = source.model
    states = waiting_states(model, role)
    handovers = HANDOVERS.get(model, [])
    handed = {h.state for h in handovers}
    plain = [s for s in states if s not in handed]
    q, kept = Q(status__in=plain), set(plain)
    for h in handovers:
        if h.state in states:
            q |= Q(status=h.state) & Q(h.ready())
            kept.add(h.state)
        if h.role == role:
            q |= Q(status=h.state) & ~Q(h.ready())
            kept.add(h.state)
    if not kept:
        return None
    for key, listed in rows.items():  # what a deadline item already lists
        if KINDS[key].covers and listed.model is model:
            q &= ~listed.q
    return q, tuple(kept)


def work_groups(user, today):
    """[WorkGroup] of what waits for `user`: plans, schemes, then requests (latest plan year
    first), each in its life cycle's order, with its first SHOWN records (longest waiting
    first)."""
    rows, _ = due_rows(user, today, singles=False)
    groups = []
    for source in SOURCES:
        waiting = _waiting_q(source, user, rows)
        if waiting is not None:
            records = source.model.objects.visible_to(user).filter(waiting[0])
            groups += _groups_of(source, records, today)
    return groups


def _groups_of(source, records, today):
    model = source.model
    handovers = {h.state: h for h in HANDOVERS.get(model, [])}
    partition = [F("status")]
    if handovers:
        partition.append(F("ready"))
    if source.year_groups:
        partition.append(F("year"))
    fields = ["pk", "status", "updated_at", source.place, *source.title_fields]
    if handovers:
        fields.append("ready")
        ready = next(iter(handovers.values())).ready
        records = records.annotate(ready=ready())
    if source.year_groups:
        fields.append("year")
    # The first SHOWN of each group, ranked over narrow rows (thousands of requests wait for
    # the officer); then what is shown of those few.
    totals = dict(
        records.order_by()
        .annotate(
            group_total=Window(Count("pk"), partition_by=partition),
            rank=Window(
                RowNumber(),
                partition_by=partition,
                order_by=[F("updated_at").asc(), F("pk").asc()],
            ),
        )
        .filter(rank__lte=SHOWN)
        .values_list("pk", "group_total")
    )
    shown = model.objects.filter(pk__in=totals).order_by()
    if handovers:
        shown = shown.annotate(ready=ready())
    rows = [{**row, "group_total": totals[row["pk"]]} for row in shown.values(*fields)]
    detail = _url_of(source.detail_view)
    order = {value: n for n, (value, _) in enumerate(model._meta.get_field("status").choices)}
    labels = dict(model._meta.get_field("status").choices)
    groups = {}
    for row in rows:
        state = row["status"]
        handover = handovers.get(state) if not row.get("ready", True) else None
        key = (state, bool(handover), row.get("year"))
        group = groups.get(key)
        if group is None:
            query = f"?status={state}" + (f"&year={row['year']}" if source.year_groups else "")
            group = groups[key] = WorkGroup(
                noun=source.noun,
                step=handover.label if handover else step_label(model, state),
                status_label=str(labels.get(state, state)),
                year=row.get("year"),
                total=row["group_total"],
                more_url=reverse(source.list_view) + query,
            )
        since = timezone.localtime(row["updated_at"]).date()
        url = detail(row["pk"]) + (handover.fix if handover else "")
        group.items.append(
            WorkItem(
                title=source.title(row),
                url=url,
                place=row[source.place] or "",
                since=since,
                days_waiting=(today - since).days,
            )
        )
    for group in groups.values():
        group.items.sort(key=lambda i: (i.since, i.title))
    return [
        groups[key]
        for key in sorted(groups, key=lambda k: (-(k[2] or 0), order.get(k[0], 99), k[1]))
    ]


@dataclass(frozen=True)
class TaskCounts:
    """What the "Việc cần làm" page counts, counted by the database (the menu's badge)."""

    work: int
    due: int
    overdue: int
    notices: int  # unread notices (they are on the page until read)
    unread: int  # unread notifications of any stage: notices and reminders

    @property
    def total(self):
        return self.work + self.due + self.notices

    @property
    def soon(self):
        return self.due - self.overdue


def unread_counts(user):
    """(unread notices, unread notifications of any stage) of `user`: one query."""
    counts = (
        Notification.objects.filter(user=user)
        .unread()
        .aggregate(notices=Count("pk", filter=Q(stage=NOTICE)), all=Count("pk"))
    )
    return counts["notices"], counts["all"]


def _any_of(wanted):
    """A Q keeping the rows some count wants, to read no others (by the status index, for the
    requests): their states, when every count says them; else the counts' own conditions."""
    if all(states for _, states in wanted):
        return Q(status__in=sorted({state for _, states in wanted for state in states}))
    any_q = Q()
    for q, _ in wanted:
        any_q |= q
    return any_q


def task_counts(user, today):
    """The page's counts, by the database: one query per model (its due kinds and the records
    waiting for the user, each a COUNT … FILTER over the rows he sees, so that his scope is
    read once), plus the kinds of one item and the unread notifications."""
    rows, (due, overdue) = due_rows(user, today)
    counts, wanted = defaultdict(dict), defaultdict(list)
    for key, listed in rows.items():
        counts[listed.model][key] = Count("pk", filter=listed.q)
        wanted[listed.model].append((listed.q, listed.states))
        if not isinstance(listed.late, bool):
            counts[listed.model][f"{key}__late"] = Count("pk", filter=listed.overdue_q())
    for source in SOURCES:
        waiting = _waiting_q(source, user, rows)
        if waiting is not None:
            counts[source.model]["work"] = Count("pk", filter=waiting[0])
            wanted[source.model].append(waiting)
    work = 0
    for model, expressions in counts.items():
        records = model.objects.visible_to(user).filter(_any_of(wanted[model]))
        found = records.aggregate(**expressions)
        work += found.pop("work", 0)
        for key, listed in rows.items():
            if listed.model is model:
                due += found[key]
                late = listed.late
                overdue += found[key] if late is True else found.get(f"{key}__late", 0)
    notices, unread = unread_counts(user)
    return TaskCounts(work, due, overdue, notices, unread)
