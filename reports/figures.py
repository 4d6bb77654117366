"""The progress figures of a period, for one administrative unit and what lies below it.

The dashboard, the quarterly PDF and its .xlsx companion all read `progress_figures`, so they
cannot disagree.

Where money sits: a scheme's budget is split into lines — each beneficiary's support, at its
facility's unit, and the rest of the budget at the scheme's own unit; a contract sits with its
beneficiary's facility (a supplier's contract with the scheme's unit), and a payment with its
contract. A scope counts the lines inside it. So a district counts only its own facilities'
share of a provincial group scheme, and the province report's row for a district is exactly
that district's own report. A scheme's accepted amount is shared over its budget lines in
proportion (largest remainder, so the parts add up to the đồng).

As on the plan page (Plan.with_rollup), a cancelled scheme's budget and contracts no longer
count, but what was paid out on it does.

Records keep pointing at the units of their day, so grouping by unit groups a past period by
the units valid then. A scope holds the units that passed into it (khuyencong.scope): the merged
province's report of 2022 counts the former province's lines, grouped by its districts, and its
multi-year table (`history_figures`) reads as one province from 2021 to today. Money is
counted by the dates on the documents (signed, paid, accepted on or before `until`); the status
of a scheme is the one it has when the figures are made.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db.models import F, Max, Q, Sum

from beneficiaries.models import Facility
from khuyencong import dates
from khuyencong.dates import Quarter
from khuyencong.models import ActivityType, AdministrativeUnit, FundingSource
from khuyencong.scope import in_unit_q
from schemes.models import (
    RISKS,
    Acceptance,
    Contract,
    Disbursement,
    Plan,
    Scheme,
    SchemeBeneficiary,
)

MONEY = ("allocated", "contracted", "disbursed", "accepted")

# Over this many units below the scope (a merged province has about a hundred communes), the
# units with no scheme in the period are one line rather than a page of zeros.
UNIT_ROWS_FOLDED_OVER = 20

# What a row of lines placed at the scope's own unit is called, by the scope's level.
OWN_LEVEL = {
    AdministrativeUnit.Level.PROVINCE: "Chung cấp tỉnh",
    AdministrativeUnit.Level.DISTRICT: "Chung cấp huyện",
    AdministrativeUnit.Level.COMMUNE: "Chung cấp xã",
}


@dataclass(frozen=True)
class MoneyRow:
    """Money of one funding source, unit or activity (or the total), and where it has got to."""

    name: str
    allocated: int = 0
    contracted: int = 0
    disbursed: int = 0
    accepted: int = 0
    schemes: int = 0
    plan_budget: int | None = None  # None where the scope holds no plan (below the province)
    key: int | None = None  # the source, unit or activity id, for links to the list behind

    @property
    def disbursed_percent(self):
        return round(100 * self.disbursed / self.allocated) if self.allocated else 0

    @property
    def accepted_percent(self):
        return round(100 * self.accepted / self.allocated) if self.allocated else 0


@dataclass(frozen=True)
class StatusRow:
    status: str
    label: str
    count: int
    budget: int


@dataclass(frozen=True)
class SchemeLine:
    """A scheme named in a section of the report: accepted, at risk or due."""

    pk: int
    code: str
    title: str
    unit: str
    status: str
    status_label: str
    day: datetime.date | None  # accepted on, ends on
    amount: int = 0  # its accepted amount within the scope
    risks: tuple[str, ...] = ()
    last_inspected_on: datetime.date | None = None
    last_problem: str = ""
    plan_year: int | None = None  # the year of its plan: a late scheme may be of an earlier one


@dataclass(frozen=True)
class ProgressFigures:
    unit_name: str
    unit_id: int
    year: int
    period_start: datetime.date
    until: datetime.date
    sources: list[MoneyRow]
    total: MoneyRow
    by_unit: list[MoneyRow]
    by_activity: list[MoneyRow]
    statuses: list[StatusRow]
    accepted_in_period: list[SchemeLine]
    at_risk: list[SchemeLine]
    due_next: list[SchemeLine]
    next_start: datetime.date
    next_end: datetime.date
    scheme_count: int  # every status, cancelled included
    funded_count: int  # not cancelled: the schemes the allocated money goes to
    facilities_reached: int
    workers_reached: int
    facility_count: int  # facilities registered in the scope, funded or not

    @property
    def status_budget(self):
        return sum(row.budget for row in self.statuses)

    @property
    def accepted_in_period_total(self):
        return sum(line.amount for line in self.accepted_in_period)

    @property
    def is_empty(self):
        """No scheme of the year's plans in the scope: no money to report, only what earlier
        years left (late schemes, schemes due next quarter)."""
        return not self.scheme_count

    @property
    def at_risk_earlier(self):
        """The schemes at risk that belong to plans of earlier years than the report's."""
        return [line for line in self.at_risk if line.plan_year != self.year]

    @property
    def at_risk_earlier_years(self):
        return sorted({line.plan_year for line in self.at_risk_earlier})

    def digest(self):
        """SHA-256 of the figures, stored with a report to show what it was made from."""
        data = json.dumps(asdict(self), default=str, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()


class _Tally:
    """Running sums of one row while the lines are read."""

    def __init__(self):
        self.money = dict.fromkeys(MONEY, 0)
        self.schemes = set()

    def add(self, what, amount, scheme_id):
        self.money[what] += amount
        self.schemes.add(scheme_id)

    def row(self, name, key=None, plan_budget=None):
        return MoneyRow(
            name=name, schemes=len(self.schemes), plan_budget=plan_budget, key=key, **self.money
        )


def share(amount, weights):
    """`amount` shared in proportion to `weights`, in whole đồng adding up to it exactly:
    each gets its floor, the đồng left go to the largest remainders (ties: the earlier)."""
    total = sum(weights)
    if not total:
        return [amount] + [0] * (len(weights) - 1) if weights else []
    parts = [amount * w // total for w in weights]
    left = amount - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts


def _year_end(year):
    return datetime.date(year, 12, 31)


def progress_figures(*, unit, year, until=None, period_start=None, today=None):
    """Figures of the plans of `year` as they stood at the end of day `until` (default: today,
    or the year's last day for a past year); `period_start` (default 1 January) opens the
    period whose acceptances are listed."""
    today = today or dates.today()
    until = until or min(today, _year_end(year))
    period_start = period_start or datetime.date(year, 1, 1)
    schemes = Scheme.objects.in_unit(unit).filter(plan__year=year)
    lines = _Lines(unit, schemes, until)

    sources = _source_rows(unit, year, lines)
    total = _total_row(sources)
    statuses = [
        StatusRow(status=value, label=label, count=len(ids), budget=lines.status_budget[value])
        for value, label in Scheme.Status.choices
        if (ids := lines.status_schemes[value])
    ]
    next_start, next_end = _next_quarter(until)
    return ProgressFigures(
        unit_name=unit.name,
        unit_id=unit.pk,
        year=year,
        period_start=period_start,
        until=until,
        sources=sources,
        total=total,
        by_unit=_unit_rows(unit, period_start, until, lines),
        by_activity=_activity_rows(lines),
        statuses=statuses,
        accepted_in_period=lines.accepted_between(period_start, until),
        at_risk=_at_risk(unit, year, min(until, today)),
        due_next=_due(unit, year, next_start, next_end),
        next_start=next_start,
        next_end=next_end,
        scheme_count=sum(row.count for row in statuses),
        funded_count=sum(row.count for row in statuses if row.status != Scheme.Status.CANCELLED),
        facilities_reached=len(lines.facilities),
        workers_reached=sum(lines.facilities.values()),
        facility_count=_facility_count(unit),
    )


# The first plan year of the multi-year table: the five-year programme 2021–2025 and on.
HISTORY_FROM = 2021


def history_figures(*, unit, first_year=HISTORY_FROM, last_year=None, today=None):
    """One row per plan year from `first_year` to `last_year` (default: this year): the plans
    of that year as they stand today, in the scope and the units that passed into it, so that a
    merged province's history reads as one. A fixed handful of queries, whatever the years."""
    today = today or dates.today()
    years = range(first_year, (last_year or today.year) + 1)
    schemes = Scheme.objects.in_unit(unit).filter(plan__year__in=years)
    lines = _Lines(unit, schemes, today)
    plans = Plan.objects.filter(
        in_unit_q(unit, "unit"), year__in=years, status=Plan.Status.APPROVED
    ).order_by()
    budget = dict(plans.values("year").annotate(b=Sum("budget")).values_list("year", "b"))
    return [
        lines.by_year[year].row(
            str(year), key=year, plan_budget=budget.get(year, 0) if budget else None
        )
        for year in years
    ]


class _Lines:
    """Reads the money lines of the schemes once (a fixed handful of queries, whatever their
    number) and tallies those inside the scope by source, unit, activity and status."""

    def __init__(self, unit, schemes, until):
        self.unit = unit
        # The scope's path, then its predecessors' (a line there belongs to the scope).
        self.roots = unit.scope_paths()
        self.by_source = defaultdict(_Tally)
        self.by_year = defaultdict(_Tally)
        self.by_child = defaultdict(_Tally)  # key: id of the unit's child holding the line
        self.by_activity = defaultdict(_Tally)
        self.status_schemes = defaultdict(set)
        self.status_budget = defaultdict(int)
        self.facilities = {}  # facility id → workers, for the live schemes' beneficiaries
        self.accepted_on = {}  # scheme id → (last acceptance day, its share in the scope)
        self.schemes = {
            row["id"]: row
            for row in schemes.order_by().values(
                "id",
                "code",
                "title",
                "status",
                "budget",
                "unit__path",
                "unit__name",
                "plan__funding_source_id",
                "plan__year",
                "activity_type_id",
            )
        }
        # The lines are read by these ids: the scope's subquery is not evaluated again for each.
        self._read(list(self.schemes), until)

    def inside(self, path):
        return any(path.startswith(root) for root in self.roots)

    def child_of(self, path):
        """The id of the unit directly below the scope — or below a predecessor — holding
        `path`; None for the scope's own unit, or a province merged into the scope's."""
        root = next(root for root in self.roots if path.startswith(root))
        if rest := path[len(root) :].strip("/"):
            return int(rest.split("/")[0])
        if root == self.unit.path or (_top_level(root) and _top_level(self.unit.path)):
            return None
        return int(root.strip("/").split("/")[-1])  # a former commune of a commune's scope

    def merged_provinces(self):
        """Ids of the provinces merged into the scope's: their districts are its rows too."""
        if not _top_level(self.unit.path):
            return []
        return [int(root.strip("/")) for root in self.roots[1:] if _top_level(root)]

    def _tally(self, scheme, what, path, amount):
        if not self.inside(path):
            return
        for tallies, key in (
            (self.by_source, scheme["plan__funding_source_id"]),
            (self.by_child, self.child_of(path)),
            (self.by_activity, scheme["activity_type_id"]),
            (self.by_year, scheme["plan__year"]),
        ):
            tallies[key].add(what, amount, scheme["id"])

    def _read(self, ids, until):
        budget_lines = defaultdict(list)  # scheme id → [(path, amount)]
        for b in (
            SchemeBeneficiary.objects.filter(scheme_id__in=ids)
            .order_by("scheme_id", "id")
            .values(
                "scheme_id",
                "support_amount",
                "facility_id",
                "facility__workers",
                path=F("scope_unit__path"),
            )
        ):
            budget_lines[b["scheme_id"]].append((b["path"], b["support_amount"]))
            scheme = self.schemes[b["scheme_id"]]
            if self.inside(b["path"]) and scheme["status"] != Scheme.Status.CANCELLED:
                self.facilities[b["facility_id"]] = b["facility__workers"]
        for pk, scheme in self.schemes.items():
            lines = budget_lines[pk]
            rest = scheme["budget"] - sum(amount for _, amount in lines)
            if rest > 0 or not lines:
                lines.append((scheme["unit__path"], rest))
            in_scope = sum(amount for path, amount in lines if self.inside(path))
            self.status_schemes[scheme["status"]].add(pk)
            self.status_budget[scheme["status"]] += in_scope
        live = {pk: s for pk, s in self.schemes.items() if s["status"] != Scheme.Status.CANCELLED}
        for pk, scheme in live.items():
            for path, amount in budget_lines[pk]:
                self._tally(scheme, "allocated", path, amount)
        for c in (
            Contract.objects.filter(scheme_id__in=ids, signed_on__lte=until)
            .values("scheme_id", path=F("beneficiary__scope_unit__path"))
            .annotate(total=Sum("value"))
            .order_by()
        ):
            if scheme := live.get(c["scheme_id"]):
                self._tally(scheme, "contracted", c["path"] or scheme["unit__path"], c["total"])
        for d in (
            Disbursement.objects.filter(contract__scheme_id__in=ids, paid_on__lte=until)
            .values("contract__scheme_id", path=F("contract__beneficiary__scope_unit__path"))
            .annotate(total=Sum("amount"))
            .order_by()
        ):
            scheme = self.schemes[d["contract__scheme_id"]]  # money paid out, even if cancelled
            self._tally(scheme, "disbursed", d["path"] or scheme["unit__path"], d["total"])
        for a in (
            Acceptance.objects.filter(
                scheme_id__in=ids, result=Acceptance.Result.PASSED, held_on__lte=until
            )
            .values("scheme_id")
            .annotate(total=Sum("accepted_amount"), last=Max("held_on"))
            .order_by()
        ):
            scheme = self.schemes[a["scheme_id"]]
            lines = budget_lines[a["scheme_id"]]
            parts = share(a["total"], [amount for _, amount in lines])
            for (path, _), part in zip(lines, parts, strict=True):
                self._tally(scheme, "accepted", path, part)
            in_scope = sum(
                p for (path, _), p in zip(lines, parts, strict=True) if self.inside(path)
            )
            self.accepted_on[a["scheme_id"]] = (a["last"], in_scope)

    def accepted_between(self, first, last):
        lines = [
            _line(self.schemes[pk], day=day, amount=amount)
            for pk, (day, amount) in self.accepted_on.items()
            if first <= day <= last
        ]
        return sorted(lines, key=lambda line: (line.day, line.code))


def _line(scheme, **extra):
    return SchemeLine(
        pk=scheme["id"],
        code=scheme["code"],
        title=scheme["title"],
        unit=scheme["unit__name"],
        status=scheme["status"],
        status_label=Scheme.Status(scheme["status"]).label,
        plan_year=scheme["plan__year"],
        **extra,
    )


def _source_rows(unit, year, lines):
    plans = Plan.objects.filter(
        in_unit_q(unit, "unit"), year=year, status=Plan.Status.APPROVED
    ).order_by()
    plan_budget = dict(
        plans.values("funding_source").annotate(b=Sum("budget")).values_list("funding_source", "b")
    )
    has_plans = bool(plan_budget)
    # A source no longer in use still shows where it holds money, so the rows add up.
    sources = FundingSource.objects.filter(
        Q(is_active=True) | Q(pk__in=list(lines.by_source)) | Q(pk__in=list(plan_budget))
    )
    return [
        lines.by_source[source.pk].row(
            source.name,
            key=source.pk,
            plan_budget=plan_budget.get(source.pk, 0) if has_plans else None,
        )
        for source in sources
    ]


def _total_row(rows, name="Tổng cộng"):
    budgets = [r.plan_budget for r in rows if r.plan_budget is not None]
    return MoneyRow(
        name=name,
        plan_budget=sum(budgets) if budgets else None,
        schemes=sum(r.schemes for r in rows),
        **{what: sum(getattr(r, what) for r in rows) for what in MONEY},
    )


def _top_level(path):
    return path.count("/") == 2  # "/7/": a province


def _unit_rows(unit, first, last, lines):
    """One row per unit directly below the scope (or below a province merged into it) that was
    valid in the period (with nothing, too), plus any other that holds a line, plus the lines
    at the scope's own unit. Past UNIT_ROWS_FOLDED_OVER rows, those with nothing are one."""
    valid = Q(valid_from__isnull=True) | Q(valid_from__lte=last)
    valid &= Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    held = [key for key in lines.by_child if key is not None]
    below = Q(parent_id__in=[unit.pk, *lines.merged_provinces()]) & valid
    children = AdministrativeUnit.objects.filter(below | Q(pk__in=held))
    rows = [
        lines.by_child[child.pk].row(_dated_name(child, first), key=child.pk)
        for child in children.order_by("code", "pk")
    ]
    if len(rows) > UNIT_ROWS_FOLDED_OVER:
        idle = [row for row in rows if not row.schemes]
        if len(idle) > 1:
            rows = [row for row in rows if row.schemes]
            rows.append(MoneyRow(name=f"{len(idle)} đơn vị khác: không có đề án trong kỳ"))
    if None in lines.by_child:
        rows.append(lines.by_child[None].row(OWN_LEVEL.get(unit.level, unit.name), key=unit.pk))
    return rows


def _dated_name(unit, day):
    """A unit that had ended before the period began says so: its name alone would read as
    one of today's."""
    return unit.dated_label() if unit.valid_to and unit.valid_to < day else unit.name


def _activity_rows(lines):
    activities = ActivityType.objects.filter(pk__in=list(lines.by_activity))
    return [
        lines.by_activity[activity.pk].row(activity.name, key=activity.pk)
        for activity in activities.order_by("order", "code")
    ]


def _at_risk(unit, year, day):
    """Schemes of this year's plans and earlier ones with a risk on `day`, latest end first."""
    schemes = (
        Scheme.objects.in_unit(unit)
        .filter(plan__year__lte=year)
        .with_risks(day)
        .at_risk()
        .select_related("unit", "plan")
        .order_by("end_date", "code")
    )
    return [
        _ending(
            s,
            risks=tuple(label for key, (label, _) in RISKS.items() if getattr(s, f"risk_{key}")),
            last_inspected_on=s.last_inspected_on,
            last_problem=s.last_problem or "",
        )
        for s in schemes
    ]


def _next_quarter(day):
    return Quarter.of(day).shifted(1).bounds


def _due(unit, year, first, last):
    """Schemes not yet accepted whose end date falls in the next quarter."""
    schemes = (
        Scheme.objects.in_unit(unit)
        .filter(plan__year__lte=year, end_date__range=(first, last))
        .filter(status__in=Scheme.BEFORE_ACCEPTANCE)
        .select_related("unit", "plan")
        .order_by("end_date", "code")
    )
    return [_ending(s) for s in schemes]


def _ending(scheme, **extra):
    """A scheme (with its unit) as a line of the report, dated by its end."""
    return SchemeLine(
        pk=scheme.pk,
        code=scheme.code,
        title=scheme.title,
        unit=scheme.unit.name,
        status=scheme.status,
        status_label=scheme.get_status_display(),
        day=scheme.end_date,
        plan_year=scheme.plan.year,
        **extra,
    )


def _facility_count(unit):
    return Facility.objects.in_unit(unit).count()
