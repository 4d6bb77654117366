"""The daily reminders run by real Celery worker processes on Redis, more than once and at the
same time: one e-mail per user, due item and stage. The workers write their mail with Django's
file backend, so the test reads what they sent."""

import datetime
import email
import time
from collections import Counter

import pytest

from duties.models import Notification
from duties.tasks import send_reminders
from tests import factories as f
from tests.conftest import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def day(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


@pytest.fixture
def records(province, officer, district_user):
    """On 21/05/2025: a contract of 2024 not closed and a scheme ending on 28/05 (the
    officer's), a Bắc Quang request for 2026 still in draft (the district's)."""
    officer.email = "officer@sct.hagiang.gov.vn"
    officer.save()
    district_user.email = "kinhte@bacquang.hagiang.gov.vn"
    district_user.save()
    plan = f.PlanFactory(unit=province.province, year=2024)
    scheme = f.SchemeFactory(
        plan=plan,
        unit=province.district,
        status="in_progress",
        approval_number="12/QĐ-SCT",
        approval_date=day("01/03/2024"),
        start_date=day("01/04/2024"),
        end_date=day("28/05/2025"),
    )
    f.InspectionFactory(scheme=scheme, inspected_on=day("05/05/2025"))
    contract = f.ContractFactory(scheme=scheme, signed_on=day("02/05/2024"))
    request = f.SupportRequestFactory(facility=f.FacilityFactory(unit=province.commune), year=2026)
    return scheme, contract, request


def mail_worker(workers, mail_dir):
    return workers(
        env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
    )


def mails(mail_dir):
    """(to, item, stage) of every message the workers wrote (a file may hold several)."""
    found = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
            if chunk.strip():
                message = email.message_from_string(chunk)
                found.append(
                    (message["To"], message["X-Khuyencong-Item"], message["X-Khuyencong-Stage"])
                )
    return found


def test_a_worker_running_the_reminders_again_sends_nothing_twice(workers, records, tmp_path):
    scheme, contract, request = records
    mail_dir = tmp_path / "mail"
    mail_worker(workers, mail_dir)
    send_reminders.delay(today="2025-05-21")
    wait_for(lambda: len(mails(mail_dir)) >= 3, timeout=90)
    send_reminders.delay(today="2025-05-21")  # beat, or a redelivery, runs it again
    send_reminders.delay(today="2025-05-22")
    send_reminders.delay(today="2025-05-29")  # the scheme's end date has passed
    # One worker takes the tasks in order: once the last one has mailed, all have run.
    wait_for(lambda: len(mails(mail_dir)) >= 4, timeout=90)
    wait_for(lambda: not Notification.objects.to_email().exists(), timeout=30)
    sent = mails(mail_dir)
    assert Counter(sent) == {
        ("officer@sct.hagiang.gov.vn", f"contract-closing:{contract.pk}", "overdue"): 1,
        ("officer@sct.hagiang.gov.vn", f"scheme-end:{scheme.pk}:20250528", "soon"): 1,
        ("officer@sct.hagiang.gov.vn", f"scheme-end:{scheme.pk}:20250528", "overdue"): 1,
        ("kinhte@bacquang.hagiang.gov.vn", f"request-dossier:{request.pk}", "overdue"): 1,
    }
    assert Notification.objects.filter(email_status="sent").count() == 4


def test_two_workers_running_the_reminders_at_once_send_each_once(workers, records, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_worker(workers, mail_dir)
    mail_worker(workers, mail_dir)
    for _ in range(4):
        send_reminders.delay(today="2025-05-21")
    wait_for(lambda: len(mails(mail_dir)) >= 3, timeout=90)
    wait_for(lambda: not Notification.objects.to_email().exists(), timeout=30)
    time.sleep(3)  # the runs still going must find nothing left to send
    sent = mails(mail_dir)
    assert len(sent) == 3 and len(set(sent)) == 3
    assert Notification.objects.count() == 3
