"""Who is asking and for how long: the client's address (behind our proxy or not), the
sign-in throttle and the idle timeout of a session."""

import time

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpResponse

# The session is written back at most this often, so an idle timeout costs no query per page.
TOUCH_EVERY_SECONDS = 60


def client_ip(request):
    """The client's address. Behind our TLS proxy it is the last X-Forwarded-For entry (the one
    the proxy added); anything earlier in that header is the client's own claim."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR") or None


class SignInThrottle(AxesDatabaseHandler):
    """django-axes's database handler with a limit of its own for each entry of
    AXES_LOCKOUT_PARAMETERS (name and address, address, name), from SIGN_IN_FAILURE_LIMITS:
    axes itself holds every combination to one AXES_FAILURE_LIMIT."""

    def failure_counts(self, request, credentials=None):
        """Failures within the cool-off for each rule, in the order of AXES_LOCKOUT_PARAMETERS."""
        return [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]

    def get_failures(self, request, credentials=None):
        # Axes locks when this reaches AXES_FAILURE_LIMIT, so each rule's count is given in
        # those units (30 failures from one address weigh as 5): each locks at its own limit.
        unit = settings.AXES_FAILURE_LIMIT
        limits = settings.SIGN_IN_FAILURE_LIMITS
        return max(
            n * unit // limit
            for n, limit in zip(self.failure_counts(request, credentials), limits, strict=True)
        )

    def reset_user_attempts(self, request, credentials=None):
        # A good sign-in forgets only that user's own mistakes from that address. Axes would
        # forget every rule's, so one valid account would wipe a sprayer's count at will.
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        )
        return attempts.delete()[0]


def exceeded_rule(request, credentials=None):
    """Which rule locks this request: "pair", "address", "username", or None."""
    counts = SignInThrottle().failure_counts(request, credentials)
    for rule, n, limit in zip(
        ("pair", "address", "username"), counts, settings.SIGN_IN_FAILURE_LIMITS, strict=True
    ):
        if n >= limit:
            return rule
    return None


@receiver(user_logged_in)
def _start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session["seen"] = int(time.time())


class IdleTimeoutMiddleware:
    """Signs out a user idle for SESSION_IDLE_SECONDS. The session's own expiry
    (SESSION_COOKIE_AGE) still bounds a working day."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get("seen", 0)
            if seen and now - seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(
                    request, "Phiên làm việc đã hết hạn vì lâu không thao tác. Xin đăng nhập lại."
                )
                if request.htmx:
                    # A fragment cannot hold the login page: have htmx reload the whole page.
                    return HttpResponse(headers={"HX-Refresh": "true"})
                return redirect_to_login(request.get_full_path())
            if now - seen >= TOUCH_EVERY_SECONDS:
                request.session["seen"] = now
        return self.get_response(request)
