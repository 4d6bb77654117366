"""Plan and scheme pages. Every object is read through its scoped queryset; writes go through
schemes.services (and schemes.planning for the plan builder)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse

from khuyencong.spreadsheets import XLSX_CONTENT_TYPE
from khuyencong.workflow import TransitionRefused

from ..planning import PlanningRefused
from ..services import RuleBroken

# What a service may refuse with a message for the user.
REFUSALS = (RuleBroken, TransitionRefused, PlanningRefused)


def require(allowed, message):
    """403 with a Vietnamese reason when a role may not use a page."""
    if not allowed:
        raise PermissionDenied(message)


def report_refusal(request, error):
    """Show a refusal (service rule or file check) as an error message."""
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error))


def download(content, name, content_type=XLSX_CONTENT_TYPE):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
