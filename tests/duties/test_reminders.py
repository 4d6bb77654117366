"""The daily reminders, run in this process: one notification and one e-mail per user, due item
and stage, whatever runs again, fails or is cut off."""

import datetime
import smtplib

import pytest
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from duties import services
from duties.models import Notification
from duties.tasks import send_reminders
from tests import factories as f

pytestmark = pytest.mark.django_db


def day(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


@pytest.fixture
def staff(province, officer, manager, district_user, other_district_user, admin_user):
    for user, email in (
        (officer, "officer@sct.hagiang.gov.vn"),
        (manager, "manager@sct.hagiang.gov.vn"),
        (district_user, "kinhte@bacquang.hagiang.gov.vn"),
        (other_district_user, "kinhte@dongvan.hagiang.gov.vn"),
        (admin_user, "admin@sct.hagiang.gov.vn"),
    ):
        user.email = email
        user.save()
    # The province's quarterly reports are made: the manager has nothing due in these tests.
    for year, quarter in ((2024, 3), (2024, 4), (2025, 1)):
        f.QuarterlyReportFactory(
            unit=province.province, year=year, quarter=quarter, status="done", pdf="r/q.pdf"
        )
    return officer, district_user


@pytest.fixture
def records(province):
    """A contract of the 2024 plan not closed, and a Bắc Quang facility's request for 2026
    still in draft: both overdue on 21/05/2025."""
    plan = f.PlanFactory(unit=province.province, year=2024)
    scheme = f.SchemeFactory(
        plan=plan,
        unit=province.district,
        status="accepted",
        approval_number="12/QĐ-SCT",
        approval_date=day("01/03/2024"),
        start_date=day("01/04/2024"),
        end_date=day("30/11/2024"),
    )
    contract = f.ContractFactory(scheme=scheme, signed_on=day("02/05/2024"))
    facility = f.FacilityFactory(unit=province.commune, name="Hợp tác xã chè Tân Quang")
    request = f.SupportRequestFactory(facility=facility, year=2026)
    return contract, request


def sent(mailoutbox):
    return sorted(
        (m.to[0], m.extra_headers["X-Khuyencong-Item"], m.extra_headers["X-Khuyencong-Stage"])
        for m in mailoutbox
    )


def test_each_responsible_user_gets_one_reminder_per_item_and_stage(
    staff, records, mailoutbox, settings
):
    settings.SITE_URL = "https://khuyencong.hagiang.gov.vn"
    contract, request = records
    assert services.reminders_send(today=day("21/05/2025")) == (2, 2, 0)
    assert services.reminders_send(today=day("21/05/2025")) == (0, 0, 0)
    assert services.reminders_send(today=day("22/05/2025")) == (0, 0, 0)
    assert sent(mailoutbox) == [
        ("kinhte@bacquang.hagiang.gov.vn", f"request-dossier:{request.pk}", "overdue"),
        ("officer@sct.hagiang.gov.vn", f"contract-closing:{contract.pk}", "overdue"),
    ]
    assert Notification.objects.count() == 2
    message = next(m for m in mailoutbox if m.to == ["officer@sct.hagiang.gov.vn"])
    notification = Notification.objects.get(user__username="officer")
    assert message.subject == (
        f"[Khuyến công] Quá hạn: Thanh lý hợp đồng {contract.number} – Hợp tác xã chè Phong Quang"
    )
    assert "Hạn: 22/01/2025" in message.body
    assert f"https://khuyencong.hagiang.gov.vn/tasks/notifications/{notification.pk}/" in (
        message.body
    )
    assert notification.email_status == "sent" and notification.emailed_at is not None


def test_due_soon_then_overdue_makes_a_second_reminder_and_no_more(province, staff, mailoutbox):
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province, year=2024),
        unit=province.other_district,
        status="in_progress",
        approval_number="12/QĐ-SCT",
        approval_date=day("01/03/2024"),
        start_date=day("01/04/2024"),
        end_date=day("31/12/2024"),
    )
    f.InspectionFactory(scheme=scheme, inspected_on=day("20/12/2024"))  # December's progress
    f.PlanFactory(unit=province.province, year=2025)  # the national plan of 2025 was sent
    for today in ("24/12/2024", "27/12/2024", "31/12/2024", "01/01/2025", "02/01/2025"):
        services.reminders_send(today=day(today))
    key = f"scheme-end:{scheme.pk}:20241231"
    assert sent(mailoutbox) == [
        ("officer@sct.hagiang.gov.vn", key, "overdue"),
        ("officer@sct.hagiang.gov.vn", key, "soon"),
    ]


def test_a_crash_between_writing_and_sending_loses_nothing(staff, records, mailoutbox):
    assert services.reminders_create(today=day("21/05/2025")) == 2
    assert mailoutbox == []  # the run stopped here
    assert Notification.objects.to_email().count() == 2
    services.reminders_send(today=day("21/05/2025"))
    services.reminders_send(today=day("21/05/2025"))
    assert len(mailoutbox) == 2


def test_a_mail_server_failure_leaves_the_reminder_for_the_next_run(
    staff, records, mailoutbox, monkeypatch
):
    real_send = EmailMessage.send

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    assert services.reminders_send(today=day("21/05/2025")) == (2, 0, 2)
    notification = Notification.objects.get(user__username="officer")
    assert notification.email_status == "pending"
    assert notification.email_attempts == 1
    assert "Connection unexpectedly closed" in notification.email_error
    monkeypatch.setattr(EmailMessage, "send", real_send)
    assert services.reminders_send(today=day("21/05/2025")) == (0, 2, 0)
    assert len(mailoutbox) == 2


def test_a_reminder_that_cannot_be_mailed_five_times_stays_in_the_portal_only(
    staff, records, mailoutbox, monkeypatch
):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({})

    monkeypatch.setattr(EmailMessage, "send", refuse)
    for _ in range(services.MAX_EMAIL_ATTEMPTS + 2):
        services.reminders_send(today=day("21/05/2025"))
    notification = Notification.objects.get(user__username="officer")
    assert notification.email_status == "failed"
    assert notification.email_attempts == services.MAX_EMAIL_ATTEMPTS
    assert notification.read_at is None  # still on his tasks page


def test_users_without_an_address_get_the_notification_only(
    records, officer, district_user, mailoutbox
):
    services.reminders_send(today=day("21/05/2025"))
    assert mailoutbox == []
    assert set(Notification.objects.values_list("user__username", "email_status")) == {
        ("officer", "no_address"),
        ("bacquang", "no_address"),
    }


def test_no_one_outside_the_scope_and_no_administrator_is_reminded(staff, records, mailoutbox):
    services.reminders_send(today=day("21/05/2025"))
    reminded = set(Notification.objects.values_list("user__username", flat=True))
    assert reminded == {"officer", "bacquang"}  # not dongvan, the manager nor the admin


def test_the_database_keeps_one_reminder_per_user_item_and_stage(officer):
    f.NotificationFactory(user=officer, key="contract-closing:7", stage="overdue")
    f.NotificationFactory(user=officer, key="contract-closing:7", stage="soon")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.NotificationFactory(user=officer, key="contract-closing:7", stage="overdue")


def test_the_task_takes_the_day_as_text(staff, records, mailoutbox):
    send_reminders.apply(kwargs={"today": "2025-05-21"}).get()
    send_reminders.apply(kwargs={"today": "2025-05-21"}).get()
    assert len(mailoutbox) == 2


def test_the_beat_schedule_runs_the_reminders_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["duties-reminders"]
    assert entry["task"] == "duties.tasks.send_reminders"
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {0}
