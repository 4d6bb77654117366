"""Writes on facilities and support requests. Views, imports, commands and tests call these."""

from khuyencong.workflow import TransitionRefused, run_transition

from .models import SupportRequest


def request_transition(*, request_id, name, user, **kwargs):
    """Run a step of a request's life cycle (submit, start_review, include, reject, withdraw)
    on a request the user sees."""
    if name == "reject" and not (kwargs.get("reason") or "").strip():
        raise TransitionRefused("Cần nêu lý do không chọn để cơ sở và huyện được biết.")
    return run_transition(
        SupportRequest,
        request_id,
        name,
        user,
        queryset=SupportRequest.objects.visible_to(user),
        **kwargs,
    )
