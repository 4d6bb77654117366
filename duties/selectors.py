"""What is due for a user: the programme's calendar (deadlines.py) applied to the records his
scope holds. The tasks page, its nav badge and the daily reminders all read `due_items`, so they
cannot disagree.

Who is responsible for what (by role, inside the user's scope — nothing here bypasses
`visible_to`):

- district staff: the dossiers of next year's requests of the facilities of their unit, still
  in draft, due at the Department by 20 May;
- officers: the province's national-plan dossier to the Ministry by 15 June, the monthly
  progress of schemes in progress, scheme end dates, settlement after acceptance and the closing
  of contracts by 22 January;
- managers: the quarterly report, and schemes past (or near) their end date that await their
  approval of the acceptance;
- administrators are responsible for nothing; their page shows every item, for oversight.

Each kind costs at most two queries, whatever the number of records. The menu's badge counts
them without making the items: the kinds over one model in one query (`due_rows`, read by
duties.work.task_counts).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse

from beneficiaries.models import SupportRequest
from khuyencong.dates import last_ended_quarter
from khuyencong.models import User
from khuyencong.roles import is_manager
from khuyencong.scope import home_unit
from reports.models import QuarterlyReport
from schemes.models import Acceptance, Contract, Inspection, Plan, Scheme

from . import deadlines as d
from .steps import step_label

# The funding source whose plan the Ministry approves (khuyến công quốc gia).
NATIONAL_SOURCE_CODE = "KCQG"
# What an item shows of a scheme, read as plain rows: a thousand model instances (two per
# scheme, with its unit) cost more to make than the items they become.
SCHEME_SHOWN = ("pk", "code", "title", "status", "end_date", "unit__name")


@dataclass(frozen=True)
class DueItem:
    key: str  # stable: one reminder per user, key and stage
    kind: str
    title: str
    due_on: datetime.date
    url: str
    place: str
    responsible: str
    stage: str
    days_late: int  # days past the due date; negative: days left
    detail: str = ""

    @property
    def kind_label(self):
        return KINDS[self.kind].label

    @property
    def stage_label(self):
        return d.STAGES[self.stage]

    @property
    def days_left(self):
        return -self.days_late


def _item(kind, key, due_on, today, **fields):
    return DueItem(
        kind=kind,
        key=key,
        due_on=due_on,
        stage=d.stage(due_on, today),
        days_late=(today - due_on).days,
        **fields,
    )


def _url_of(view):
    """pk → reverse(view, args=[pk]), reversing once: a page of due items makes a thousand
    links, and reverse() takes a fifth of its time."""
    marker = "2147483647"
    prefix, suffix = reverse(view, args=[int(marker)]).split(marker)
    return lambda pk: f"{prefix}{pk}{suffix}"


@dataclass(frozen=True)
class Rows:
    """The records a kind of due work lists: those of `model` the user sees that meet `q`;
    `late` (a Q, or a bool for items that share one due date) those of them overdue. Kept as
    conditions, so that the badge counts several kinds over one model in one query (reading
    only the rows in `states`). A record `late` is always in `q` as well, if in `states`."""

    model: type
    q: Q
    late: object
    states: tuple = ()  # the states `q` keeps no record outside of, if it tests the status

    def overdue_q(self):
        """The Q of the overdue ones: `late` within `states` (an overdue record is due soon
        too, whatever else `q` asks), or within `q` for a model without states."""
        return (Q(status__in=self.states) if self.states else self.q) & self.late

    def of(self, user):
        return self.model.objects.visible_to(user).filter(self.q)


def _dossier_drafts(user, today):
    """Next year's requests still in draft while their dossier is due (None when it is not)."""
    plan_year = today.year + 1
    due_on = d.department_dossier_due(plan_year)
    if d.stage(due_on, today) is None:
        return None
    return Rows(
        SupportRequest,
        Q(year=plan_year, status=SupportRequest.Status.DRAFT),
        d.stage(due_on, today) == d.OVERDUE,
        (SupportRequest.Status.DRAFT,),
    )


def department_dossiers(user, today):
    """Requests for next year's plan still in draft: the district must complete and send them."""
    rows = _dossier_drafts(user, today)
    if rows is None:
        return []
    plan_year = today.year + 1
    due_on = d.department_dossier_due(plan_year)
    drafts = (
        rows.of(user)
        .select_related("facility__unit", "activity_type")
        .only("facility__name", "facility__unit__name", "activity_type__name")
        .order_by("facility__name", "pk")
    )
    url = _url_of("beneficiaries:request_detail")
    # The request's next step is said here: its work item is left out (Kind.covers).
    step = step_label(SupportRequest, SupportRequest.Status.DRAFT)
    return [
        _item(
            "department_dossier",
            f"request-dossier:{r.pk}",
            due_on,
            today,
            title=f"Hoàn thiện, gửi hồ sơ đăng ký năm {plan_year}: {r.facility.name} – "
            f"{r.activity_type.name}",
            detail=f"Bước tiếp theo: {step}",
            url=url(r.pk),
            place=r.facility.unit.name,
            responsible=User.Role.DISTRICT.label,
        )
        for r in drafts
    ]


def ministry_dossier(user, today):
    """The province's dossier for next year's national plan: done once the national plan of
    that year is drafted and no request of the year waits for review."""
    plan_year = today.year + 1
    due_on = d.ministry_dossier_due(plan_year)
    if d.stage(due_on, today) is None:
        return []
    requests = SupportRequest.objects.visible_to(user).filter(year=plan_year)
    counts = requests.aggregate(
        waiting=Count(
            "pk",
            filter=Q(status__in=SupportRequest.AWAITING_DECISION),
        ),
        drafts=Count("pk", filter=Q(status=SupportRequest.Status.DRAFT)),
    )
    plan = _national_plan(user, plan_year).first()
    if _ministry_done(plan, counts["waiting"]):
        return []
    detail = [f"{counts['waiting']} đăng ký chờ xét duyệt"]
    if counts["drafts"]:
        detail.append(f"{counts['drafts']} hồ sơ còn nháp ở cấp huyện")
    if not plan:
        detail.append("chưa lập kế hoạch khuyến công quốc gia")
    unit = home_unit(user)
    return [
        _item(
            "ministry_dossier",
            f"ministry-dossier:{plan_year}",
            due_on,
            today,
            title=f"Tổng hợp, gửi hồ sơ đề nghị kế hoạch khuyến công quốc gia năm {plan_year} "
            "lên Bộ Công Thương",
            detail="; ".join(detail),
            url=reverse("plans:plan_detail", args=[plan.pk])
            if plan
            else reverse("beneficiaries:request_review_queue"),
            place=unit.name if unit else "",
            responsible=User.Role.OFFICER.label,
        )
    ]


def _unreported_schemes(user, today):
    """Schemes in progress with no progress recorded this month (None when not due yet)."""
    if d.stage(d.progress_due(today), today) is None:
        return None
    first = today.replace(day=1)
    next_first = (first + 31 * d.DAY).replace(day=1)
    reported = Inspection.objects.filter(
        scheme=OuterRef("pk"), inspected_on__gte=first, inspected_on__lt=next_first
    )
    return Rows(
        Scheme,
        Q(status=Scheme.Status.IN_PROGRESS, start_date__lte=today) & ~Q(Exists(reported)),
        d.stage(d.progress_due(today), today) == d.OVERDUE,
        (Scheme.Status.IN_PROGRESS,),
    )


def _national_plan(user, plan_year):
    return Plan.objects.visible_to(user).filter(
        year=plan_year, funding_source__code=NATIONAL_SOURCE_CODE
    )


def _ministry_done(plan, waiting):
    """The national-plan dossier is done once its plan exists and no request waits."""
    return bool(plan) and not waiting


def _count_ministry(user, today):
    """(count, overdue) of ministry_dossier's item, by two EXISTS."""
    plan_year = today.year + 1
    stage = d.stage(d.ministry_dossier_due(plan_year), today)
    if stage is None:
        return 0, 0
    waiting = SupportRequest.objects.visible_to(user).filter(
        year=plan_year, status__in=SupportRequest.AWAITING_DECISION
    )
    if _ministry_done(_national_plan(user, plan_year).exists(), waiting.exists()):
        return 0, 0
    return 1, int(stage == d.OVERDUE)


def monthly_progress(user, today):
    """Schemes in progress with no progress recorded this month (an inspection with its
    progress %), due before the 25th."""
    rows = _unreported_schemes(user, today)
    if rows is None:
        return []
    schemes = rows.of(user)
    due_on = d.progress_due(today)
    url = _url_of("schemes:scheme_detail")
    return [
        _item(
            "progress",
            f"progress:{s.pk}:{d.month_key(today)}",
            due_on,
            today,
            title=f"Báo cáo tiến độ tháng {today:%m/%Y}: {s.code} – {s.title}",
            url=url(s.pk) + "#kiem-tra",
            place=s.unit__name,
            responsible=User.Role.OFFICER.label,
        )
        for s in schemes.order_by("code").values_list(*SCHEME_SHOWN, named=True)
    ]


def _ending_schemes(user, today):
    """Schemes not yet accepted whose end date is near or past (for a manager, only those
    whose acceptance awaits his approval)."""
    states = tuple(Scheme.BEFORE_ACCEPTANCE)
    if is_manager(user) and not user.sees_everything:
        states = (Scheme.Status.AWAITING_ACCEPTANCE,)
    q = Q(status__in=states, end_date__lte=d.horizon(today))
    return Rows(Scheme, q, Q(end_date__lt=today), states)


def scheme_ends(user, today):
    """Schemes not yet accepted whose end date is near or past. A new end date is a new item."""
    schemes = _ending_schemes(user, today).of(user)
    url = _url_of("schemes:scheme_detail")
    items = []
    for s in schemes.order_by("end_date", "code").values_list(*SCHEME_SHOWN, named=True):
        awaiting = s.status == Scheme.Status.AWAITING_ACCEPTANCE
        responsible = User.Role.OFFICER.label
        if awaiting:
            responsible += "; " + User.Role.MANAGER.label + " (phê duyệt nghiệm thu)"
        items.append(
            _item(
                "scheme_end",
                f"scheme-end:{s.pk}:{s.end_date:%Y%m%d}",
                s.end_date,
                today,
                title=f"{'Nghiệm thu' if awaiting else 'Hoàn thành, nghiệm thu'} đề án "
                f"{s.code} – {s.title}",
                detail=Scheme.Status(s.status).label,
                url=url(s.pk),
                place=s.unit__name,
                responsible=responsible,
            )
        )
    return items


def _unsettled_schemes(user, today):
    """Accepted schemes not settled whose settlement is near or past."""
    accepted_on = _accepted_on(default=datetime.date.max)
    return Rows(
        Scheme,
        Q(status=Scheme.Status.ACCEPTED)
        & Q(LessThanOrEqual(accepted_on, d.accepted_by_for_settlement(d.horizon(today)))),
        # due before today
        Q(LessThanOrEqual(accepted_on, d.accepted_by_for_settlement(today - d.DAY))),
        (Scheme.Status.ACCEPTED,),
    )


def _accepted_on(default=None):
    """The date of a scheme's last passed acceptance (`default` if none: a condition on it is
    then false, not unknown, and stays false when negated)."""
    last_acceptance = Acceptance.objects.filter(
        scheme=OuterRef("pk"), result=Acceptance.Result.PASSED
    ).order_by("-held_on")
    last = Subquery(last_acceptance.values("held_on")[:1])
    return last if default is None else Coalesce(last, Value(default))


def settlements(user, today):
    """Accepted schemes not settled: the settlement dossier is due 15 days after acceptance."""
    schemes = (
        _unsettled_schemes(user, today)
        .of(user)
        .annotate(accepted_on=_accepted_on())
        .order_by("accepted_on", "code")
        .values_list(*SCHEME_SHOWN, "accepted_on", named=True)
    )
    url = _url_of("schemes:scheme_detail")
    return [
        _item(
            "settlement",
            f"settlement:{s.pk}",
            d.settlement_due(s.accepted_on),
            today,
            title=f"Lập hồ sơ quyết toán đề án {s.code} – {s.title}",
            detail=f"nghiệm thu ngày {s.accepted_on:%d/%m/%Y}",
            url=url(s.pk) + "#nghiem-thu",
            place=s.unit__name,
            responsible=User.Role.OFFICER.label,
        )
        for s in schemes
    ]


def _open_contracts(user, today):
    """Contracts not closed (no closing date) of the plans whose closing date is near or past."""
    return Rows(
        Contract,
        Q(
            closed_on__isnull=True,
            scheme__plan__year__lte=d.latest_plan_year_closing_by(d.horizon(today)),
        ),
        # closing due before today
        Q(scheme__plan__year__lte=d.latest_plan_year_closing_by(today - d.DAY)),
    )


def contract_closings(user, today):
    """Contracts not closed (no closing date) of the plans whose closing date is near or past."""
    contracts = (
        _open_contracts(user, today)
        .of(user)
        .order_by("scheme__plan__year", "scheme__code", "number")
        .values_list(
            "pk",
            "number",
            "party_name",
            "scheme_id",
            "scheme__code",
            "scheme__plan__year",
            "scheme__unit__name",
            named=True,
        )
    )
    url = _url_of("schemes:scheme_detail")
    return [
        _item(
            "contract_closing",
            f"contract-closing:{c.pk}",
            d.contract_closing_due(c.scheme__plan__year),
            today,
            title=f"Thanh lý hợp đồng {c.number} – {c.party_name}",
            detail=f"đề án {c.scheme__code}, kế hoạch năm {c.scheme__plan__year}",
            url=url(c.scheme_id) + "#hop-dong",
            place=c.scheme__unit__name,
            responsible=User.Role.OFFICER.label,
        )
        for c in contracts
    ]


def quarterly_report(user, today):
    """The report of the quarter just ended for the user's unit, until one is made."""
    quarter = last_ended_quarter(today)
    due_on = d.quarterly_report_due(quarter)
    if d.stage(due_on, today) is None:
        return []
    unit = home_unit(user)
    if unit is None:
        return []
    made = QuarterlyReport.objects.filter(
        year=quarter.year,
        quarter=quarter.quarter,
        unit=unit,
        status=QuarterlyReport.Status.DONE,
    ).exists()
    if made:
        return []
    return [
        _item(
            "quarterly_report",
            f"quarterly-report:{unit.pk}:{quarter.key}",
            due_on,
            today,
            title=f"Báo cáo tiến độ {quarter.label} – {unit.name}",
            url=reverse("reports:report_list"),
            place=unit.name,
            responsible=User.Role.MANAGER.label,
        )
    ]


@dataclass(frozen=True)
class Kind:
    """A kind of due work: its label, who answers for it, and its items. `rows` gives the
    records its items are (a Rows, or None when none is due): the badge counts them without
    making the items, and the life cycles' work items leave them out (`covers`), so that no
    record is listed twice (duties.work). A kind without `rows` makes one item at most, from a
    query or two: the badge counts it with `count`, or counts its items."""

    label: str
    roles: tuple
    collect: object
    rows: object = None
    covers: bool = False
    count: object = None  # (user, today) -> (count, overdue) of a kind without rows


KINDS = {
    "department_dossier": Kind(
        "Hồ sơ đăng ký gửi Sở",
        (User.Role.DISTRICT,),
        department_dossiers,
        _dossier_drafts,
        covers=True,
    ),
    "ministry_dossier": Kind(
        "Hồ sơ kế hoạch gửi Bộ",
        (User.Role.OFFICER,),
        ministry_dossier,
        count=_count_ministry,
    ),
    "progress": Kind(
        "Tiến độ hằng tháng", (User.Role.OFFICER,), monthly_progress, _unreported_schemes
    ),
    "scheme_end": Kind(
        "Kết thúc đề án",
        (User.Role.OFFICER, User.Role.MANAGER),
        scheme_ends,
        _ending_schemes,
        covers=True,
    ),
    "settlement": Kind(
        "Quyết toán", (User.Role.OFFICER,), settlements, _unsettled_schemes, covers=True
    ),
    "contract_closing": Kind(
        "Thanh lý hợp đồng", (User.Role.OFFICER,), contract_closings, _open_contracts
    ),
    "quarterly_report": Kind("Báo cáo quý", (User.Role.MANAGER,), quarterly_report),
}


def responsible_kinds(user):
    """The kinds of work a user answers for (and is reminded of)."""
    if not user.is_authenticated or not user.is_active or user.sees_everything:
        return []
    return [key for key, kind in KINDS.items() if user.role in kind.roles]


def due_items(user, today):
    """Everything due soon or overdue for `user` on `today`, in his scope, earliest first.
    Administrators get every kind (they oversee; reminders are never sent to them)."""
    items = []
    for key in kinds_of(user):
        items += [i for i in KINDS[key].collect(user, today) if i.stage]
    return sorted(items, key=lambda i: (i.due_on, i.kind, i.title))


def kinds_of(user):
    """The kinds of due work shown to `user`: his own, or every kind for an administrator."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(KINDS) if user.sees_everything else responsible_kinds(user)


def due_rows(user, today, *, singles=True):
    """({key: Rows} of the user's kinds that list records, (count, overdue) of the others'
    items, unless not `singles`): what the badge counts (duties.work.task_counts)."""
    rows, total, overdue = {}, 0, 0
    for key in kinds_of(user):
        kind = KINDS[key]
        if kind.rows is None:
            if not singles:
                continue
            if kind.count:
                n, late = kind.count(user, today)
            else:
                items = kind.collect(user, today)
                n, late = len(items), sum(1 for i in items if i.stage == d.OVERDUE)
            total, overdue = total + n, overdue + late
        else:
            found = kind.rows(user, today)
            if found is not None:
                rows[key] = found
    return rows, (total, overdue)
