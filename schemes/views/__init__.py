"""Plan and scheme pages. Every object is read through its scoped queryset; writes go through
schemes.services (and schemes.planning for the plan builder)."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from khuyencong.workflow import TransitionRefused

from ..planning import PlanningRefused
from ..services import RuleBroken

# What a service may refuse with a message for the user.
REFUSALS = (RuleBroken, TransitionRefused, PlanningRefused)


def refusal_text(error):
    """The Vietnamese message of a refusal: a service rule or a file check."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def report_refusal(request, error):
    messages.error(request, refusal_text(error))
