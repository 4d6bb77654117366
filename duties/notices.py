"""Notices to the district of what the province decided on its requests: refused (with the
reason), taken into a plan (with the scheme), returned for additions (with the reason).

Written when the transition happens, from django-fsm's `post_transition` signal (connected in
apps.py): beneficiaries, which declares the life cycle, does not know of duties. Each notice goes
to every active district user whose scope holds the facility's unit, is shown on his "Việc cần
làm" page until read, counts in the menu's badge, and is e-mailed by the reminders' daily run
(the row is its outbox, as for reminders).

A notice is written with the transition's transaction: if the step is refused after all (the
row is rolled back), so is the notice. The scheme a request is taken into may be linked after
the step runs: then the notice is written on commit, once the link is there.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm.signals import post_transition

from beneficiaries.models import SupportRequest
from khuyencong.models import User

from .models import NOTICE, Notification

TITLE_MAX = 500


def _shorten(text, limit):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _what(request):
    return f"{request.facility.name} – {request.activity_type.name} (năm {request.year})"


def _refused(request, reason):
    return f"Đăng ký của {_what(request)} không được chọn. Lý do: {reason}"


def _returned(request, reason):
    return f"Đăng ký của {_what(request)} được trả lại để bổ sung hồ sơ. Lý do: {reason}"


def _included(request, scheme):
    return (
        f"Đăng ký của {_what(request)} được đưa vào kế hoạch: đề án {scheme.code} – {scheme.title}"
    )


# Transition name → (kind, title of the notice from the request and the step's reason).
# "return_for_additions" is the officer's "trả lại bổ sung" (its `reason` like a refusal's).
REASONED = {
    "reject": ("request_rejected", _refused),
    "return_for_additions": ("request_returned", _returned),
}
INCLUDED = ("request_included", "include")


def district_recipients(unit):
    """Active district staff whose scope holds `unit` (their own unit, one above it, or one a
    reform merged it into)."""
    users = User.objects.filter(is_active=True, role=User.Role.DISTRICT).exclude(unit=None)
    return [u for u in users.select_related("unit") if u.unit.contains(unit)]


def notify_district(request, *, kind, title, key):
    """One notice per recipient of `request`'s district; returns how many were written."""
    facility = request.facility
    today = timezone.localdate()
    url = reverse("beneficiaries:request_detail", args=[request.pk])
    notices = [
        Notification(
            user=user,
            key=key,
            stage=NOTICE,
            kind=kind,
            title=_shorten(title, TITLE_MAX),
            due_on=today,
            url=url,
            email_status=Notification.EmailStatus.PENDING
            if user.email
            else Notification.EmailStatus.NO_ADDRESS,
        )
        for user in district_recipients(facility.unit)
    ]
    Notification.objects.bulk_create(notices, ignore_conflicts=True)
    return len(notices)


def _event_key(kind, request):
    # A request may be refused once, but taken in and out of a plan or returned several times:
    # each event its own notice.
    return f"{kind}:{request.pk}:{timezone.now():%Y%m%d%H%M%S%f}"


def _scheme_of(request):
    from schemes.models import SchemeBeneficiary  # schemes depends on beneficiaries

    link = (
        SchemeBeneficiary.objects.filter(request_id=request.pk)
        .select_related("scheme")
        .only("scheme__code", "scheme__title")
        .first()
    )
    return link.scheme if link else None


def _notify_included(request_pk, key):
    request = SupportRequest.objects.select_related("facility__unit", "activity_type").get(
        pk=request_pk
    )
    scheme = _scheme_of(request)
    if scheme is None:  # taken out again before the commit
        return
    notify_district(request, kind=INCLUDED[0], title=_included(request, scheme), key=key)


def on_request_transition(sender, instance, name, method_kwargs=None, **kwargs):
    """post_transition of a SupportRequest: the notices of the steps the district is told of."""
    if name in REASONED:
        kind, title = REASONED[name]
        inputs = method_kwargs or {}
        # the step's reason: its `reason` input, or its one text input by another name
        reason = inputs.get("reason") or next(
            (v for v in inputs.values() if isinstance(v, str) and v.strip()), ""
        )
        notify_district(
            instance, kind=kind, title=title(instance, reason), key=_event_key(kind, instance)
        )
    elif name == INCLUDED[1]:
        key = _event_key(INCLUDED[0], instance)
        if _scheme_of(instance) is not None:
            _notify_included(instance.pk, key)
        else:
            transaction.on_commit(lambda: _notify_included(instance.pk, key))


def connect():
    post_transition.connect(
        on_request_transition, sender=SupportRequest, dispatch_uid="duties.notices.request"
    )
