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

Each kind costs at most two queries, whatever the number of records, and is counted by the
database in one (`due_counts`, for the menu's badge).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
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


def _dossier_drafts(user, today):
    """Next year's requests still in draft while their dossier is due (None when it is not)."""
    plan_year = today.year + 1
    if d.stage(d.department_dossier_due(plan_year), today) is None:
        return None
    return SupportRequest.objects.visible_to(user).filter(
        year=plan_year, status=SupportRequest.Status.DRAFT
    )


def department_dossiers(user, today):
    """Requests for next year's plan still in draft: the district must complete and send them."""
    drafts = _dossier_drafts(user, today)
    if drafts is None:
        return []
    plan_year = today.year + 1
    due_on = d.department_dossier_due(plan_year)
    drafts = (
        drafts.select_related("facility__unit", "activity_type")
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


def _count_dossiers(user, today):
    drafts = _dossier_drafts(user, today)
    if drafts is None:
        return 0, 0
    return _uniform(drafts.count(), d.department_dossier_due(today.year + 1), today)


def _uniform(count, due_on, today):
    """(count, overdue) of items that share one due date."""
    return count, count if d.stage(due_on, today) == d.OVERDUE else 0


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
    plan = (
        Plan.objects.visible_to(user)
        .filter(year=plan_year, funding_source__code=NATIONAL_SOURCE_CODE)
        .first()
    )
    if plan and not counts["waiting"]:
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
    return (
        Scheme.objects.visible_to(user)
        .filter(status=Scheme.Status.IN_PROGRESS, start_date__lte=today)
        .exclude(Exists(reported))
    )


def monthly_progress(user, today):
    """Schemes in progress with no progress recorded this month (an inspection with its
    progress %), due before the 25th."""
    schemes = _unreported_schemes(user, today)
    if schemes is None:
        return []
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


def _count_progress(user, today):
    schemes = _unreported_schemes(user, today)
    if schemes is None:
        return 0, 0
    return _uniform(schemes.count(), d.progress_due(today), today)


def _ending_schemes(user, today):
    """Schemes not yet accepted whose end date is near or past (for a manager, only those
    whose acceptance awaits his approval)."""
    schemes = Scheme.objects.visible_to(user).filter(
        status__in=Scheme.BEFORE_ACCEPTANCE, end_date__lte=d.horizon(today)
    )
    if is_manager(user) and not user.sees_everything:
        schemes = schemes.filter(status=Scheme.Status.AWAITING_ACCEPTANCE)
    return schemes


def scheme_ends(user, today):
    """Schemes not yet accepted whose end date is near or past. A new end date is a new item."""
    schemes = _ending_schemes(user, today)
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


def _count_scheme_ends(user, today):
    counts = _ending_schemes(user, today).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(end_date__lt=today))
    )
    return counts["n"], counts["late"]


def _unsettled_schemes(user, today):
    """Accepted schemes not settled whose settlement is near or past, with `accepted_on`."""
    last_acceptance = Acceptance.objects.filter(
        scheme=OuterRef("pk"), result=Acceptance.Result.PASSED
    ).order_by("-held_on")
    return (
        Scheme.objects.visible_to(user)
        .filter(status=Scheme.Status.ACCEPTED)
        .annotate(accepted_on=Subquery(last_acceptance.values("held_on")[:1]))
        .filter(accepted_on__lte=d.accepted_by_for_settlement(d.horizon(today)))
    )


def settlements(user, today):
    """Accepted schemes not settled: the settlement dossier is due 15 days after acceptance."""
    schemes = (
        _unsettled_schemes(user, today)
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


def _count_settlements(user, today):
    late = d.accepted_by_for_settlement(today - d.DAY)  # due before today
    counts = _unsettled_schemes(user, today).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(accepted_on__lte=late))
    )
    return counts["n"], counts["late"]


def _open_contracts(user, today):
    """Contracts not closed (no closing date) of the plans whose closing date is near or past."""
    return Contract.objects.visible_to(user).filter(
        closed_on__isnull=True,
        scheme__plan__year__lte=d.latest_plan_year_closing_by(d.horizon(today)),
    )


def contract_closings(user, today):
    """Contracts not closed (no closing date) of the plans whose closing date is near or past."""
    contracts = (
        _open_contracts(user, today)
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


def _count_contracts(user, today):
    late_year = d.latest_plan_year_closing_by(today - d.DAY)  # closing due before today
    counts = _open_contracts(user, today).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(scheme__plan__year__lte=late_year))
    )
    return counts["n"], counts["late"]


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


def _counted(collect):
    """(count, overdue) of a kind that makes one item at most: its items are cheap."""

    def count(user, today):
        items = collect(user, today)
        return len(items), sum(1 for i in items if i.stage == d.OVERDUE)

    return count


@dataclass(frozen=True)
class Kind:
    """A kind of due work: its label, who answers for it, its items, and (count, overdue) of
    them counted by the database without making them (the menu's badge). `covers`, if any,
    gives the records (a queryset) its items stand for: the work items of the life cycles
    leave those out, so that no record is listed twice (duties.work)."""

    label: str
    roles: tuple
    collect: object
    count: object
    covers: object = None


KINDS = {
    "department_dossier": Kind(
        "Hồ sơ đăng ký gửi Sở",
        (User.Role.DISTRICT,),
        department_dossiers,
        _count_dossiers,
        covers=_dossier_drafts,
    ),
    "ministry_dossier": Kind(
        "Hồ sơ kế hoạch gửi Bộ", (User.Role.OFFICER,), ministry_dossier, _counted(ministry_dossier)
    ),
    "progress": Kind("Tiến độ hằng tháng", (User.Role.OFFICER,), monthly_progress, _count_progress),
    "scheme_end": Kind(
        "Kết thúc đề án",
        (User.Role.OFFICER, User.Role.MANAGER),
        scheme_ends,
        _count_scheme_ends,
        covers=_ending_schemes,
    ),
    "settlement": Kind(
        "Quyết toán",
        (User.Role.OFFICER,),
        settlements,
        _count_settlements,
        covers=_unsettled_schemes,
    ),
    "contract_closing": Kind(
        "Thanh lý hợp đồng", (User.Role.OFFICER,), contract_closings, _count_contracts
    ),
    "quarterly_report": Kind(
        "Báo cáo quý", (User.Role.MANAGER,), quarterly_report, _counted(quarterly_report)
    ),
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


def due_counts(user, today):
    """(due items, overdue ones) of `user` on `today`, as `due_items` would list them, counted
    by the database (a COUNT per kind): the badge's figure without making the items."""
    total = overdue = 0
    for key in kinds_of(user):
        n, late = KINDS[key].count(user, today)
        total, overdue = total + n, overdue + late
    return total, overdue
