"""Views of the core app: the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app


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
