"""Views of the core app: the health check, the password change, and the portal's own pages
for a lockout, a failed CSRF check and a method not allowed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

from .audit import record
from .celery import app as celery_app
from .models import AccessEvent
from .security import exceeded_rule


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok():
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@login_not_required
@never_cache
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise; the body says which."""
    status = {"database": _database_ok(), "broker": _broker_ok()}
    return JsonResponse(
        {name: "ok" if ok else "error" for name, ok in status.items()},
        status=200 if all(status.values()) else 503,
    )


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change (which keeps this session and ends every other one), with a
    line in the access log and a word of confirmation."""

    success_url = reverse_lazy("dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(self.request, AccessEvent.Kind.PASSWORD_CHANGED)
        messages.success(
            self.request, "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã bị đăng xuất."
        )
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes's answer to a locked sign-in: in Vietnamese, saying which rule and for how
    long."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "username": username,
        "rule": exceeded_rule(request, credentials) or "pair",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid token, nearly always one left open too long
    or sent after signing in again elsewhere. Nothing was saved; say so and how to send again.
    Django's `reason` is for developers and stays out of the page."""
    return render(request, "403_csrf.html", status=403)


class MethodNotAllowedPage:
    """Gives the empty 405 of require_POST and of class views (HttpResponseNotAllowed) a
    Vietnamese body, keeping its status and Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response.content = render_to_string("405.html", request=request)
        return response
