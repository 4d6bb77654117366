"""What the request pages (beneficiaries) take from the plans, registered by SchemesConfig.ready
(see beneficiaries/planning.py for why a hook): the year's draft plans an officer may choose a
request into, the plan builder's own service to do it, and the caps a request is above."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from beneficiaries.planning import Planning
from khuyencong.roles import is_officer
from khuyencong.workflow import TransitionRefused

from . import caps, planning
from .models import Plan
from .services import RuleBroken


def draft_plans(year, user):
    """The plans of `year` still in draft that the user (an officer) may build schemes into."""
    if not is_officer(user):
        return Plan.objects.none()
    return (
        Plan.objects.visible_to(user)
        .filter(year=year, status=Plan.Status.DRAFT)
        .select_related("funding_source")
        .order_by("funding_source__order", "pk")
    )


def include(*, plan_id, request_ids, user):
    """Take the requests into the plan by the plan builder's service, its refusals told as
    TransitionRefused; only into a plan still in draft."""
    plan = Plan.objects.visible_to(user).filter(pk=plan_id).first()
    if plan is None:
        raise TransitionRefused("Hãy chọn một kế hoạch.")
    if plan.status != Plan.Status.DRAFT:
        raise TransitionRefused(
            f"Kế hoạch “{plan.title}” không còn ở dạng dự thảo nên không thêm đề án được."
        )
    try:
        return planning.build_schemes(plan_id=plan.pk, request_ids=request_ids, user=user)
    except (planning.PlanningRefused, RuleBroken) as refusal:
        raise TransitionRefused(str(refusal)) from refusal
    except ValidationError as error:
        raise TransitionRefused(" ".join(error.messages)) from error


def register():
    from beneficiaries import planning as hook

    hook.register(
        Planning(
            draft_plans=draft_plans,
            include=include,
            cap_warnings=caps.request_cap_warnings,
            plan_create_url=lambda: reverse("plans:plan_create"),
        )
    )
