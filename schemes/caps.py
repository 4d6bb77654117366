"""Support caps: which rule holds for a scheme item, and what it allows.

The rule is the one of the item's activity and the scheme's funding source valid on the
scheme's approval date (today while the scheme is still a proposal); among several for the
activity, the one of the item's basis (per facility, per model …), or the activity's first.
A cap per facility counts once for each beneficiary of the scheme. The priority-area multiplier
applies when the scheme is in a priority area: every beneficiary's commune (or its district,
or province) carries a flag, or, for a scheme with no beneficiary yet, the scheme's own unit.
"""

from dataclasses import dataclass

from django.utils import timezone

from khuyencong.money import format_vnd

from .models import SupportRule


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
            f"Kinh phí khuyến công {format_vnd(self.requested)} vượt định mức "
            f"“{self.rule.activity_type.name}”: {self.rule.describe()} theo "
            f"{self.rule.legal_text}; mức tối đa được hỗ trợ là {format_vnd(self.allowed)}{area}."
        )


def rule_for(scheme, activity_type, basis="", day=None):
    day = day or scheme.approval_date or timezone.localdate()
    rules = SupportRule.objects.valid_on(day).filter(
        activity_type=activity_type, funding_source_id=scheme.plan.funding_source_id
    )
    if basis:
        rules = rules.filter(per=basis)
    return rules.select_related("activity_type").order_by("-valid_from", "pk").first()


def in_priority_area(scheme):
    units = [b.facility.unit for b in scheme.beneficiaries.select_related("facility__unit")]
    return all(unit.priority_flags for unit in units or [scheme.unit])


def breach(scheme, *, activity_type, support_amount, counterpart, basis="", day=None):
    """The Breach if this amount would exceed the cap, else None (also when no rule applies)."""
    rule = rule_for(scheme, activity_type, basis, day)
    if rule is None:
        return None
    units = scheme.beneficiaries.count() if rule.per == SupportRule.Per.FACILITY else 1
    priority = in_priority_area(scheme)
    allowed = rule.allowed(cost=support_amount + counterpart, units=units, priority=priority)
    if support_amount <= allowed:
        return None
    return Breach(rule=rule, allowed=allowed, requested=support_amount, priority=priority)


def uncovered_breaches(scheme, day=None):
    """[(item, Breach)] of the scheme's items above their cap with no exception covering them."""
    found = []
    for item in scheme.items.select_related("activity_type", "exception"):
        over = breach(
            scheme,
            activity_type=item.activity_type,
            support_amount=item.support_amount,
            counterpart=item.counterpart_amount,
            basis=item.basis,
            day=day,
        )
        exception = getattr(item, "exception", None)
        if over and not (exception and exception.covers(item.support_amount)):
            found.append((item, over))
    return found
