"""Support caps: which rule holds for a scheme's items, and what it allows.

- The rules are those of the item's activity and the scheme's funding source valid on the
  scheme's approval date (today while it is still a proposal). Among them, the one of the
  item's basis (per facility, per model …); with no basis, or a basis the activity has no rule
  for, the strictest — choosing a basis never lifts a cap.
- The scheme's items of one activity under one rule are checked together: two machines for one
  facility share that facility's cap.
- A cap per facility counts once per beneficiary, raised by the rule's multiplier for each
  facility in a priority area (its commune, district or province flagged). Other caps are
  raised when the scheme's own unit is in a priority area, or all its beneficiaries are.
- National and local funds alike: a local-fund item is checked against the local fund's rules
  (the province's own caps), by the same code.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from khuyencong.dates import format_date_vn
from khuyencong.models import AdministrativeUnit, FundingSource
from khuyencong.money import format_vnd

from .models import SupportRule

NO_LIMIT = float("inf")


@dataclass(frozen=True)
class Breach:
    rule: SupportRule
    allowed: int
    requested: int
    priority: bool

    @property
    def message(self):
        area = " (đã nhân hệ số địa bàn ưu tiên)" if self.priority else ""
        return (
            f"Kinh phí khuyến công {format_vnd(self.requested)} (các hạng mục cùng nội dung "
            f"cộng lại) vượt định mức “{self.rule.activity_type.name}”: {self.rule.describe()} "
            f"theo {self.rule.legal_text}; mức tối đa được hỗ trợ là "
            f"{format_vnd(self.allowed)}{area}."
        )


def _strictness(rule):
    cap = rule.cap_amount if rule.cap_amount is not None else NO_LIMIT
    return (cap, rule.percent if rule.percent is not None else 101, rule.pk)


def rule_for(scheme, activity_type, basis="", day=None):
    day = day or scheme.approval_date or timezone.localdate()
    rules = list(
        SupportRule.objects.valid_on(day)
        .filter(activity_type=activity_type, funding_source_id=scheme.plan.funding_source_id)
        .select_related("activity_type")
    )
    if not rules:
        return None
    chosen = [r for r in rules if r.per == basis] if basis else []
    return min(chosen or rules, key=_strictness)


def _flagged(units):
    """Which of `units` lie in a priority area: one query over all their ancestors."""
    paths = [[int(i) for i in unit.path.strip("/").split("/") if i] for unit in units]
    flagged = set(
        AdministrativeUnit.objects.filter(pk__in={i for path in paths for i in path})
        .filter(
            Q(is_highland=True) | Q(is_border=True) | Q(is_ethnic_minority=True) | Q(is_poor=True)
        )
        .values_list("pk", flat=True)
    )
    return [any(i in flagged for i in path) for path in paths]


def _allowed(scheme, rule, cost):
    """What `rule` allows the scheme for a cost, and whether a priority area raised it."""
    places = [b.facility.unit for b in scheme.beneficiaries.select_related("facility__unit")]
    if rule.per == SupportRule.Per.FACILITY:
        flags = _flagged(places or [scheme.unit])
        priority_units = sum(flags)
        plain_units = len(flags) - priority_units
    else:
        raised = _flagged([scheme.unit])[0] or (bool(places) and all(_flagged(places)))
        priority_units, plain_units = (1, 0) if raised else (0, 1)
    allowed = rule.allowed(cost=cost, units=plain_units, priority_units=priority_units)
    return allowed, priority_units > 0 and rule.priority_multiplier > 1  # × 1 raised nothing


def breach(scheme, *, activity_type, support_amount, counterpart, basis="", day=None):
    """The Breach if the scheme's items of this activity, with this new one, would exceed the
    cap; else None (also when no rule applies)."""
    rule = rule_for(scheme, activity_type, basis, day)
    if rule is None:
        return None
    support, cost = support_amount, support_amount + counterpart
    for item in scheme.items.filter(activity_type=activity_type):
        if rule_for(scheme, activity_type, item.basis, day) == rule:
            support, cost = support + item.support_amount, cost + item.cost
    allowed, priority = _allowed(scheme, rule, cost)
    if support <= allowed:
        return None
    return Breach(rule=rule, allowed=allowed, requested=support, priority=priority)


def uncovered_breaches(scheme, day=None):
    """[(rule, Breach)] of the scheme's groups of items above their cap that no exception
    covers (an exception covers its group up to the amount it granted)."""
    groups = {}
    for item in scheme.items.select_related("activity_type", "exception"):
        rule = rule_for(scheme, item.activity_type, item.basis, day)
        if rule is not None:
            groups.setdefault(rule, []).append(item)
    found = []
    for rule, items in groups.items():
        support = sum(i.support_amount for i in items)
        allowed, priority = _allowed(scheme, rule, sum(i.cost for i in items))
        granted = max(
            (i.exception.granted_amount for i in items if _exception(i) is not None), default=0
        )
        if support > allowed and support > granted:
            found.append(
                (rule, Breach(rule=rule, allowed=allowed, requested=support, priority=priority))
            )
    return found


def _exception(item):
    return getattr(item, "exception", None)


@dataclass(frozen=True)
class FundRules:
    """The rules of one funding source as they stand on a day: those that hold, and the others
    with why they do not (ended, or not yet in force)."""

    funding_source: FundingSource
    holding: list
    others: list  # [(rule, reason)]


def rules_on(day):
    """[FundRules] of every funding source, in their order, on `day`: what the caps page shows."""
    rules = SupportRule.objects.select_related("activity_type", "funding_source")
    funds = {fund.pk: FundRules(fund, [], []) for fund in FundingSource.objects.order_by("order")}
    for rule in rules:
        fund = funds[rule.funding_source_id]
        if rule.holds_on(day):
            fund.holding.append(rule)
        elif rule.valid_from > day:
            fund.others.append((rule, f"Chưa có hiệu lực (từ {format_date_vn(rule.valid_from)})"))
        else:
            fund.others.append((rule, f"Đã hết hiệu lực (đến {format_date_vn(rule.valid_to)})"))
    return list(funds.values())


@dataclass(frozen=True)
class RequestCap:
    """A support request above the cap of a funding source: what it asks, what the rule allows
    (what the plan builder writes), and the rule."""

    rule: SupportRule
    requested: int
    allowed: int
    priority: bool

    @property
    def difference(self):
        return self.requested - self.allowed

    def describe_rule(self):
        """'“Ứng dụng máy móc thiết bị” (Khuyến công quốc gia): ≤ 50 % chi phí và ≤ … theo …'"""
        area = " (đã nhân hệ số địa bàn ưu tiên)" if self.priority else ""
        return (
            f"định mức “{self.rule.activity_type.name}” ({self.rule.funding_source.name}): "
            f"{self.rule.describe()} theo {self.rule.legal_text}{area}"
        )

    @property
    def warning(self):
        """What the district is told when it files the request: a warning, not a refusal."""
        return (
            f"Kinh phí đề nghị hỗ trợ {format_vnd(self.requested)} vượt "
            f"{self.describe_rule()}. Nếu được chọn vào kế hoạch nguồn này, mức hỗ trợ tối đa "
            f"là {format_vnd(self.allowed)}; phần vượt {format_vnd(self.difference)} chuyển "
            "thành đối ứng của cơ sở."
        )


def request_rules(requests, funding_source_id, day=None):
    """{request pk: the rule} a scheme of the funding source made of the request would be
    checked against on `day` (today): rule_for with no basis, the strictest of its activity.
    One query whatever their number; a request whose activity has no rule is left out."""
    requests = list(requests)
    if not requests:
        return {}
    day = day or timezone.localdate()
    rules = {}
    for rule in (
        SupportRule.objects.valid_on(day)
        .filter(
            activity_type__in={r.activity_type_id for r in requests},
            funding_source_id=funding_source_id,
        )
        .select_related("activity_type", "funding_source")
    ):
        rules.setdefault(rule.activity_type_id, []).append(rule)
    return {
        r.pk: min(rules[r.activity_type_id], key=_strictness)
        for r in requests
        if r.activity_type_id in rules
    }


def shared_by_facilities(rule):
    """Whether requests under `rule` may share one group scheme: a cap per facility counts once
    per beneficiary; any other (per model, brand, scheme …) counts once for the scheme's item,
    so that two such requests in one scheme would share one cap."""
    return rule is None or rule.per == SupportRule.Per.FACILITY


def request_caps(requests, funding_source_id, day=None):
    """{request pk: RequestCap} of the requests whose support is above the cap of the funding
    source on `day` (today by default), in two queries whatever their number.

    The rule is the one a scheme made of the request alone would be checked against
    (rule_for with no basis: the strictest of its activity), on the cost its item would have
    (support plus counterpart), raised by the multiplier when its facility lies in a priority
    area: what the plan builder writes then passes the scheme's own cap check."""
    requests = list(requests)
    rules = request_rules(requests, funding_source_id, day)
    if not rules:
        return {}
    ruled = [r for r in requests if r.pk in rules]
    flags = _flagged([r.facility.unit for r in ruled])
    found = {}
    for request, priority in zip(ruled, flags, strict=True):
        rule = rules[request.pk]
        cost = request.support_requested + request.counterpart
        units, priority_units = (0, 1) if priority else (1, 0)
        allowed = rule.allowed(cost=cost, units=units, priority_units=priority_units)
        if request.support_requested > allowed:
            found[request.pk] = RequestCap(
                rule=rule,
                requested=request.support_requested,
                allowed=allowed,
                priority=priority and rule.priority_multiplier > 1,
            )
    return found


def request_cap_warnings(support_request, day=None):
    """The warnings of a request above the cap of any funding source on `day` (today): shown
    when it is filed and on its page; the province decides which source funds it."""
    warnings = []
    for fund in FundingSource.objects.order_by("order"):
        cap = request_caps([support_request], fund.pk, day).get(support_request.pk)
        if cap is not None:
            warnings.append(cap.warning)
    return warnings
