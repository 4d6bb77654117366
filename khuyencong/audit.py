"""The access log: sign-ins, failed sign-ins, lockouts, sign-outs, password changes, and every
file that leaves the portal (exports and downloads), with user, time and address."""

import logging
import re
from urllib.parse import unquote

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import FileResponse

from .models import AccessEvent
from .security import client_ip
from .text import nfc

log = logging.getLogger("khuyencong.audit")


def _one_line(text):
    """What an attacker typed, safe to store and to log: nfc() drops the control characters,
    and the line breaks it keeps are folded, so that one event stays one line."""
    return " ".join(nfc(text or "").split())


def record(request, kind, *, user=None, username="", detail=""):
    """One line of the access log. `user` defaults to the request's signed-in user."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    username = _one_line(username or (user.get_username() if user else ""))[:150]
    event = AccessEvent.objects.create(
        kind=kind,
        user=user,
        username=username,
        ip=client_ip(request) if request is not None else None,
        path=request.get_full_path()[:500] if request is not None else "",
        detail=_one_line(detail)[:300],
    )
    log.info("%s %s %s %s", kind, username or "-", event.ip or "-", event.path)
    return event


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(request, AccessEvent.Kind.LOGIN, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(request, AccessEvent.Kind.LOGOUT, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record(request, AccessEvent.Kind.LOGIN_FAILED, username=credentials.get("username", ""))


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    record(request, AccessEvent.Kind.LOCKED_OUT, username=username or "")


def _file_name(disposition):
    """The file name of a Content-Disposition header, Vietnamese names (RFC 5987) included."""
    encoded = re.search(r"filename\*=utf-8''([^;]+)", disposition, re.IGNORECASE)
    if encoded:
        return unquote(encoded.group(1))
    plain = re.search(r'filename="?([^";]+)', disposition)
    return plain.group(1) if plain else ""


class DownloadLogMiddleware:
    """Logs every response that hands the user a file: a stored one (a download) or one made
    for the request (an export). Views need not remember to do it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        if response.status_code == 200 and disposition.startswith("attachment"):
            kind = (
                AccessEvent.Kind.DOWNLOAD
                if isinstance(response, FileResponse)
                else AccessEvent.Kind.EXPORT
            )
            record(request, kind, detail=_file_name(disposition))
        return response
