"""What the request pages take from the plans: the draft plans a request may go into, the
plan builder's service that takes requests into a plan, and the caps a request is above.

The plans (schemes) depend on this app, not the other way round: schemes registers these
answers in its AppConfig.ready() (schemes/apps.py). A hook rather than moving the request page's
and the review queue's actions into schemes: each page stays one view, in the app that owns the
record, with its one set of URLs and tests, and still makes schemes by the plan builder's own
service (schemes.planning.build_schemes), so there is one rule for making schemes from requests.
Without schemes installed, the pages simply offer no plan.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Planning:
    # (year, user) -> the plans of that year still in draft that the user may build into
    draft_plans: Callable
    # (*, plan_id, request_ids, user) -> [schemes]; refuses with khuyencong's TransitionRefused
    include: Callable
    # (support_request) -> [messages]: the caps its support is above, with their rule
    cap_warnings: Callable
    # the URL where an officer creates a plan
    plan_create_url: Callable


_planning = None


def register(planning):
    global _planning
    _planning = planning


def planning():
    """The registered Planning, or None (schemes not installed)."""
    return _planning


def draft_plans(year, user):
    return list(_planning.draft_plans(year, user)) if _planning else []


def cap_warnings(support_request):
    return list(_planning.cap_warnings(support_request)) if _planning else []
