"""The progress figures of a year up to a date, for one administrative unit and what lies below
it. The dashboard and the quarterly report both read them here, so they cannot disagree."""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.db.models import Count, Sum

from beneficiaries.models import Facility
from khuyencong.models import FundingSource
from khuyencong.scope import in_unit_q
from schemes.models import Acceptance, Contract, Disbursement, Plan, Scheme


@dataclass(frozen=True)
class SourceRow:
    """Money of one funding source (or the total): the plan, and where it has got to."""

    name: str
    plan_budget: int | None  # None where the scope holds no plan (a district)
    allocated: int
    contracted: int
    disbursed: int
    accepted: int

    @property
    def disbursed_percent(self):
        return round(100 * self.disbursed / self.allocated) if self.allocated else 0


@dataclass(frozen=True)
class StatusRow:
    status: str
    label: str
    count: int
    budget: int


@dataclass(frozen=True)
class ProgressFigures:
    unit_name: str
    year: int
    until: datetime.date
    sources: list[SourceRow]
    total: SourceRow
    statuses: list[StatusRow]
    scheme_count: int
    facility_count: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def status_budget(self):
        return sum(row.budget for row in self.statuses)

    def digest(self):
        """SHA-256 of the figures, stored with a report to show what it was made from."""
        data = json.dumps(asdict(self), default=str, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()


def _sum_by(queryset, group, amount):
    rows = queryset.order_by().values(group).annotate(total=Sum(amount))
    return {row[group]: row["total"] or 0 for row in rows}


def progress_figures(*, unit, year, until=None):
    """Figures of `year` as they stood at the end of day `until` (default: today)."""
    until = until or datetime.date.today()
    schemes = Scheme.objects.in_unit(unit).filter(plan__year=year)
    live = schemes.exclude(status=Scheme.Status.CANCELLED)
    plans = Plan.objects.filter(in_unit_q(unit, "unit"), year=year)

    plan_budget = _sum_by(plans, "funding_source", "budget")
    allocated = _sum_by(live, "plan__funding_source", "budget")
    contracted = _sum_by(
        Contract.objects.filter(scheme__in=live, signed_on__lte=until),
        "scheme__plan__funding_source",
        "value",
    )
    disbursed = _sum_by(
        Disbursement.objects.filter(contract__scheme__in=live, paid_on__lte=until),
        "contract__scheme__plan__funding_source",
        "amount",
    )
    accepted = _sum_by(
        Acceptance.objects.filter(
            scheme__in=live, result=Acceptance.Result.PASSED, held_on__lte=until
        ),
        "scheme__plan__funding_source",
        "accepted_amount",
    )
    has_plans = bool(plan_budget)
    sources = [
        SourceRow(
            name=source.name,
            plan_budget=plan_budget.get(source.pk, 0) if has_plans else None,
            allocated=allocated.get(source.pk, 0),
            contracted=contracted.get(source.pk, 0),
            disbursed=disbursed.get(source.pk, 0),
            accepted=accepted.get(source.pk, 0),
        )
        for source in FundingSource.objects.filter(is_active=True)
    ]
    total = SourceRow(
        name="Tổng cộng",
        plan_budget=sum(r.plan_budget for r in sources) if has_plans else None,
        allocated=sum(r.allocated for r in sources),
        contracted=sum(r.contracted for r in sources),
        disbursed=sum(r.disbursed for r in sources),
        accepted=sum(r.accepted for r in sources),
    )
    counts = {
        row["status"]: row
        for row in schemes.order_by().values("status").annotate(n=Count("id"), b=Sum("budget"))
    }
    statuses = [
        StatusRow(status=value, label=label, count=counts[value]["n"], budget=counts[value]["b"])
        for value, label in Scheme.Status.choices
        if value in counts
    ]
    return ProgressFigures(
        unit_name=unit.name,
        year=year,
        until=until,
        sources=sources,
        total=total,
        statuses=statuses,
        scheme_count=sum(s.count for s in statuses),
        facility_count=Facility.objects.in_unit(unit).count(),
    )
