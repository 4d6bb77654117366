"""Who is asking and for how long: the client's address (behind our proxy or not) and the
idle timeout of a session."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
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
