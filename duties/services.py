"""Reminders: the daily run writes one notification per user, due item and stage, then e-mails
what is still pending (the notices of duties.notices too); users mark them as read.

Safe to run twice, and at the same time: the unique (user, key, stage) lets a reminder be
written once, and a notification is e-mailed under its row lock, only while still pending.
A crash after writing and before sending loses nothing (the row stays pending and the next run
sends it). Exactly once is impossible with SMTP: a crash after the server took the message and
before the row is marked sent would send that one message again; the window is one message.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from khuyencong.models import User

from .models import NOTICE, STAGES, Notification
from .selectors import due_items, responsible_kinds

log = logging.getLogger(__name__)

# After this many failed attempts a reminder's e-mail is given up (it stays in the portal).
MAX_EMAIL_ATTEMPTS = 5


def responsible_users():
    """Staff who answer for some kind of work: district staff, officers and managers with a
    unit (administrators oversee and are not reminded)."""
    roles = [User.Role.DISTRICT, User.Role.OFFICER, User.Role.MANAGER]
    return (
        User.objects.filter(is_active=True, is_superuser=False, role__in=roles)
        .exclude(unit=None)
        .select_related("unit")
        .order_by("pk")
    )


def reminders_create(*, today=None):
    """Write the notifications of what is due on `today` for every responsible user; returns
    how many are new. Items already reminded at their stage are left alone."""
    today = today or timezone.localdate()
    created = 0
    for user in responsible_users():
        if not responsible_kinds(user):
            continue
        items = [i for i in due_items(user, today) if i.stage]
        if not items:
            continue
        known = set(
            Notification.objects.filter(user=user, key__in=[i.key for i in items]).values_list(
                "key", "stage"
            )
        )
        new = [
            Notification(
                user=user,
                key=i.key,
                stage=i.stage,
                kind=i.kind,
                title=i.title[:500],
                due_on=i.due_on,
                url=i.url,
                email_status=Notification.EmailStatus.PENDING
                if user.email
                else Notification.EmailStatus.NO_ADDRESS,
            )
            for i in items
            if (i.key, i.stage) not in known
        ]
        # A run at the same moment may have written some: the constraint keeps one of each.
        Notification.objects.bulk_create(new, ignore_conflicts=True)
        created += len(new)
    return created


def reminders_deliver():
    """E-mail every pending notification, one message each, over one connection; returns how
    many were sent. A failure leaves the notification pending for the next run."""
    pending = list(Notification.objects.to_email().order_by("pk").values_list("pk", flat=True))
    if not pending:
        return 0
    sent = 0
    connection = get_connection()
    try:
        for notification_id in pending:
            sent += _deliver(notification_id, connection)
    finally:
        connection.close()
    return sent


def _deliver(notification_id, connection):
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(pk=notification_id, email_status=Notification.EmailStatus.PENDING)
            .first()
        )
        if notification is None:  # sent meanwhile, or being sent by another run right now
            return 0
        if not notification.user.email:
            notification.email_status = Notification.EmailStatus.NO_ADDRESS
            notification.save(update_fields=["email_status"])
            return 0
        notification.email_attempts += 1
        try:
            reminder_message(notification, connection=connection).send()
        except Exception as error:  # any SMTP or network error: try again on the next run
            log.warning("reminder %s not e-mailed: %s", notification.pk, error)
            connection.close()  # the next message opens a fresh session
            notification.email_error = str(error)[:1000]
            if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
                notification.email_status = Notification.EmailStatus.FAILED
            notification.save(update_fields=["email_attempts", "email_error", "email_status"])
            return 0
        notification.email_status = Notification.EmailStatus.SENT
        notification.emailed_at = timezone.now()
        notification.email_error = ""
        notification.save(
            update_fields=["email_status", "emailed_at", "email_attempts", "email_error"]
        )
        return 1


def reminder_message(notification, *, connection=None):
    """The e-mail of one reminder, in Vietnamese, with links back to the portal."""
    site = settings.SITE_URL.rstrip("/")
    stage = STAGES[notification.stage]
    subject = f"[Khuyến công] {stage}: {notification.title}"
    if len(subject) > 150:
        subject = subject[:149] + "…"
    body = render_to_string(
        "duties/reminder_email.txt",
        {
            "notification": notification,
            "stage": stage,
            "notice": notification.stage == NOTICE,
            "user": notification.user,
            "open_url": site + reverse("duties:notification_open", args=[notification.pk]),
            "tasks_url": site + reverse("duties:task_list"),
            "days_late": (timezone.localdate() - notification.due_on).days,
            "days_left": (notification.due_on - timezone.localdate()).days,
        },
    )
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[notification.user.email],
        connection=connection,
        headers={
            "X-Khuyencong-Item": notification.key,
            "X-Khuyencong-Stage": notification.stage,
        },
    )


def reminders_send(*, today=None):
    """The daily run: write what is newly due, then e-mail all that is pending (today's and any
    left by an earlier run that failed or was cut off). Returns (new, e-mailed, still pending)."""
    created = reminders_create(today=today)
    sent = reminders_deliver()
    left = Notification.objects.to_email().count()
    log.info("reminders: %s new, %s e-mailed, %s still pending", created, sent, left)
    return created, sent, left


def notification_mark_read(*, user, notification):
    """Mark one of the user's own notifications read (the caller fetched it through his
    notifications, so no one marks another's)."""
    if notification.user_id != user.pk:
        raise ValueError("not the user's notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user):
    return Notification.objects.filter(user=user).unread().update(read_at=timezone.now())


def safe_local_url(url):
    """A notification's link, only if it stays on the portal."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return reverse("duties:task_list")
