"""The plan builder: the submitted requests of a plan's year ranked by the province's priority
weights, fitted into what is left of the plan's budget, and the draft schemes made from the
requests an officer picks.

Caps are checked before anything is written: a request above the cap of the plan's funding
source (schemes.caps.request_caps, the rule its scheme will be checked against) is written at
the cap, and the part above it becomes the facility's counterpart (đối ứng): the cost of the
work is unchanged, the programme pays what its rule allows, the facility brings the rest. The
builder's page shows each such request's written amount and its rule before the officer builds.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.db import transaction

from beneficiaries.models import SupportRequest
from khuyencong.dates import today
from khuyencong.money import format_vnd
from khuyencong.workflow import TransitionRefused, run_transition

from . import caps
from .models import Plan, Scheme, SchemeBeneficiary, SchemeItem
from .services import saved

DEFAULT_IMPLEMENTING_BODY = "Trung tâm Khuyến công"


class PlanningRefused(Exception):
    """The picked requests cannot become schemes; the message is for the user, in Vietnamese."""


@dataclass
class Candidate:
    request: SupportRequest
    suggested: bool  # inside the budget fit
    cap: caps.RequestCap | None = None  # above the cap of the plan's source: written at the cap

    @property
    def support(self):
        """The support the builder writes for it: what it asks, or its cap."""
        return self.cap.allowed if self.cap else self.request.support_requested

    @property
    def counterpart(self):
        """The counterpart written: its own, plus what is above the cap."""
        return self.request.counterpart + (self.cap.difference if self.cap else 0)

    @property
    def district(self):
        unit = self.request.facility.unit
        return unit.parent if unit.parent_id else unit


def pickable_requests(plan, user):
    """Requests of the plan's year awaiting a decision, not yet in a scheme, best first: by the
    weighted priority score, then the earliest submitted, then the first entered."""
    return (
        SupportRequest.objects.visible_to(user)
        .awaiting_decision()
        .filter(year=plan.year, scheme_link__isnull=True)
        .with_priority()
        .select_related("facility__unit__parent", "activity_type")
        .order_by("-weighted_score", "submitted_at", "pk")
    )


def rank(plan, user):
    """(candidates in rank order, what the plan has left, what is left after the suggestion).

    The suggestion walks the ranking and takes each request whose support still fits in what
    is left of the budget; one that does not fit is passed over, so a smaller request further
    down may still be taken.
    """
    available = plan.budget - plan.allocated_total()
    left = available
    candidates = []
    requests = list(pickable_requests(plan, user))
    capped = caps.request_caps(requests, plan.funding_source_id, today())
    for request in requests:
        candidate = Candidate(request, False, capped.get(request.pk))
        candidate.suggested = 0 < candidate.support <= left
        if candidate.suggested:
            left -= candidate.support
        candidates.append(candidate)
    return candidates, available, left


def sums(candidates, key):
    """[(label, count, support)] of the candidates grouped by key(candidate), largest first."""
    totals = defaultdict(lambda: [0, 0])
    for c in candidates:
        row = totals[key(c)]
        row[0] += 1
        row[1] += c.support
    return sorted(((str(k), n, s) for k, (n, s) in totals.items()), key=lambda r: -r[2])


def build_schemes(*, plan_id, request_ids, user):
    """Make draft schemes from the picked requests: one group scheme for the requests that
    share an activity type (and a cap per facility, see _scheme_key), a single scheme for a
    request alone in its type. The requests are
    marked "included in plan" and linked to their scheme. A request above its cap is written at
    the cap, the rest as the facility's counterpart (see the module's docstring). Refused as a
    whole when a request is no longer pickable or the plan's budget would be exceeded."""
    if not request_ids:
        raise PlanningRefused("Hãy chọn ít nhất một đăng ký.")
    with transaction.atomic():
        plan = Plan.objects.visible_to(user).select_for_update().get(pk=plan_id)
        if plan.status == Plan.Status.SUBMITTED:  # the manager is reading what was sent
            raise PlanningRefused(
                "Kế hoạch đang chờ lãnh đạo phê duyệt nên không thêm đề án được; nếu cần, lãnh "
                "đạo trả lại kế hoạch để hoàn thiện."
            )
        requests = list(
            pickable_requests(plan, user).filter(pk__in=request_ids).select_for_update(of=("self",))
        )
        if len(requests) != len(set(request_ids)):
            raise PlanningRefused(
                "Có đăng ký đã được xử lý hoặc không còn chờ xét (có thể do người khác vừa đưa "
                "vào kế hoạch). Hãy tải lại trang và chọn lại."
            )
        day = today()
        capped = caps.request_caps(requests, plan.funding_source_id, day)
        rules = caps.request_rules(requests, plan.funding_source_id, day)
        candidates = [Candidate(r, True, capped.get(r.pk)) for r in requests]
        total = sum(c.support for c in candidates)
        left = plan.budget - plan.allocated_total()
        if total > left:
            raise PlanningRefused(
                f"Các đăng ký đã chọn cần {format_vnd(total)}, vượt phần kinh phí còn lại của "
                f"kế hoạch ({format_vnd(left)}). Hãy bỏ bớt đăng ký."
            )
        candidates.sort(
            key=lambda c: (
                c.request.activity_type.order,
                c.request.activity_type.code,
                c.request.pk,
            )
        )
        schemes = []
        for _key, group in groupby(candidates, key=lambda c: _scheme_key(c, rules)):
            schemes.append(_scheme_for(plan, list(group), user))
        return schemes


def _scheme_key(candidate, rules):
    """Requests of one activity share a group scheme, unless their cap is not per facility (per
    brand, model …): then each is a scheme of its own, within its own cap."""
    request = candidate.request
    alone = not caps.shared_by_facilities(rules.get(request.pk))
    return (request.activity_type_id, request.pk if alone else 0)


def _scheme_for(plan, candidates, user):
    requests = [c.request for c in candidates]
    first = requests[0]
    activity = first.activity_type
    districts = {r.facility.unit.parent_id or r.facility.unit_id for r in requests}
    if len(requests) == 1:
        kind, title = Scheme.Kind.SINGLE, f"{activity.name}: {first.facility.name}"
    else:
        kind, title = Scheme.Kind.GROUP, f"{activity.name} cho {len(requests)} cơ sở"
    # A scheme lies in its facilities' district; one spread over several lies in the province.
    unit = (first.facility.unit.parent or first.facility.unit) if len(districts) == 1 else plan.unit
    scheme = Scheme(
        plan=plan,
        code=_next_code(plan),
        title=title[:500],
        kind=kind,
        activity_type=activity,
        unit=unit,
        implementing_body=_implementing_body(plan),
        start_date=datetime.date(plan.year, 1, 1),
        end_date=datetime.date(plan.year, 11, 30),
        budget=sum(c.support for c in candidates),
        counterpart_budget=sum(c.counterpart for c in candidates),
        description="\n".join(f"- {r.facility.name}: {r.content}" for r in requests),
    )
    saved(scheme, user, "Lập đề án từ đăng ký nhu cầu")
    saved(
        SchemeItem(
            scheme=scheme,
            activity_type=activity,
            description=(first.content if len(requests) == 1 else f"Hỗ trợ {len(requests)} cơ sở")[
                :500
            ],
            support_amount=scheme.budget,
            counterpart_amount=scheme.counterpart_budget,
        ),
        user,
        "Thêm hạng mục",
    )
    for c in candidates:
        r = c.request
        saved(
            SchemeBeneficiary(
                scheme=scheme,
                facility=r.facility,
                request=r,
                support_amount=c.support,
                counterpart_amount=c.counterpart,
            ),
            user,
            "Thêm cơ sở thụ hưởng",
        )
        try:
            run_transition(SupportRequest, r.pk, "include", user, from_service=True)
        except TransitionRefused as refusal:
            raise PlanningRefused(f"{r.facility.name}: {refusal}") from refusal
    return scheme


def scheme_code_prefix(plan):
    """The programme's one style of scheme code, "QG-2026-" or "ĐP-2026-": the funding
    source's short name without its "KC" (KCQG → QG, KCĐP → ĐP), then the plan's year."""
    return f"{plan.funding_source.short_name.removeprefix('KC')}-{plan.year}-"


def _next_code(plan):
    """The plan's next code after its highest in that style (ĐP-2022-13 → ĐP-2022-14), two
    digits at least; a code typed in another style is not followed."""
    prefix = scheme_code_prefix(plan)
    codes = set(plan.schemes.values_list("code", flat=True))
    numbered = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    number = max((int(m.group(1)) for m in map(numbered.match, codes) if m), default=0) + 1
    return f"{prefix}{number:02d}"


def _implementing_body(plan):
    """The body that carried out the province's latest scheme; the Centre by default."""
    latest = (
        Scheme.objects.filter(plan__unit=plan.unit)
        .exclude(implementing_body="")
        .order_by("-pk")
        .values_list("implementing_body", flat=True)
        .first()
    )
    return latest or DEFAULT_IMPLEMENTING_BODY
