"""Signing in and out: lockout after repeated failures, password rules, the idle timeout,
sign-out everywhere on a password change, and the access log of all of it and of every file
that leaves the portal."""

import html
import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from khuyencong.models import AccessEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

Kind = AccessEvent.Kind


def sign_in(client, username, password, ip="10.0.0.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def kinds(**filters):
    return list(
        AccessEvent.objects.filter(**filters).order_by("at", "pk").values_list("kind", flat=True)
    )


def test_a_good_sign_in_is_logged_with_user_and_address(client, district_user):
    response = sign_in(client, "bacquang", f.PASSWORD, ip="10.0.0.7")
    assert response.status_code == 302
    event = AccessEvent.objects.get(kind=Kind.LOGIN)
    assert (event.user, event.username, event.ip) == (district_user, "bacquang", "10.0.0.7")
    client.post(reverse("logout"), REMOTE_ADDR="10.0.0.7")
    assert kinds(user=district_user) == [Kind.LOGIN, Kind.LOGOUT]


def test_repeated_failures_lock_that_name_from_that_address(client, district_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "bacquang", "sai-mat-khau")
        assert response.status_code in (200, 429)
    locked = sign_in(client, "bacquang", f.PASSWORD)  # even the right password now
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Tạm khóa đăng nhập" in text and "15 phút" in text
    assert "_auth_user_id" not in client.session
    # The wrong passwords, then the right one refused while locked.
    assert kinds(username="bacquang").count(Kind.LOGIN_FAILED) == settings.AXES_FAILURE_LIMIT + 1
    assert Kind.LOCKED_OUT in kinds(username="bacquang")
    # The same name from another office, and another name from this address, still sign in:
    # a stranger cannot lock a colleague out of the whole portal.
    assert sign_in(Client(), "bacquang", f.PASSWORD, ip="10.0.0.8").status_code == 302
    f.UserFactory(username="bacquang2", unit=district_user.unit)
    assert sign_in(Client(), "bacquang2", f.PASSWORD).status_code == 302


def test_failures_below_the_limit_are_forgotten_after_a_good_sign_in(
    client, district_user, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "bacquang", "sai-mat-khau")
    assert sign_in(client, "bacquang", f.PASSWORD).status_code == 302
    client.post(reverse("logout"))
    sign_in(client, "bacquang", "sai-mat-khau")
    assert sign_in(client, "bacquang", f.PASSWORD).status_code == 302


def test_a_hostile_user_name_is_logged_as_text(client):
    response = sign_in(client, "<script>x\u202e\u200b" + "a" * 130, "x")
    assert response.status_code == 200
    event = AccessEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert event.username == "<script>x" + "a" * 130


def test_changing_the_password_signs_out_every_other_session(district_user):
    here, elsewhere = Client(), Client()
    for browser in (here, elsewhere):
        assert sign_in(browser, "bacquang", f.PASSWORD).status_code == 302
    response = here.post(
        reverse("password_change"),
        {
            "old_password": f.PASSWORD,
            "new_password1": "Chè-Tân-Cương-2026",
            "new_password2": "Chè-Tân-Cương-2026",
        },
    )
    assert response.status_code == 302
    assert here.get(reverse("dashboard")).status_code == 200  # this session goes on
    gone = elsewhere.get(reverse("dashboard"))
    assert gone.status_code == 302 and gone.url.startswith(reverse("login"))
    assert Kind.PASSWORD_CHANGED in kinds(user=district_user)


@pytest.mark.parametrize(
    "password, says",
    [("12345678", "mật khẩu"), ("bacquang1", "mật khẩu"), ("ab1", "8")],
)
def test_a_weak_password_is_refused_in_vietnamese(login, district_user, password, says):
    client = login(district_user)
    response = client.post(
        reverse("password_change"),
        {"old_password": f.PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    # The page shown after the redirect (the refused form kept): the field's own error list.
    page = html.unescape(response.content.decode())
    errors = re.search(r'id="id_new_password2".*?<ul class="errorlist"[^>]*>(.*?)</ul>', page, re.S)
    assert says in errors.group(1).lower()
    district_user.refresh_from_db()
    assert district_user.check_password(f.PASSWORD)


def test_an_idle_session_ends_and_says_why(login, district_user, settings):
    client = login(district_user)
    assert client.get(reverse("beneficiaries:facility_list")).status_code == 200
    session = client.session
    session["seen"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get(reverse("beneficiaries:facility_list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login") + "?next=/")
    assert "lâu không thao tác" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_working_session_is_kept_alive(login, district_user, settings):
    client = login(district_user)
    session = client.session
    session["seen"] = int(time.time()) - settings.SESSION_IDLE_SECONDS + 120  # 2 min to go
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200
    assert time.time() - client.session["seen"] < 5  # the clock was reset


def test_exports_and_downloads_are_logged(login, district_user, province):
    document = f.DocumentFactory(facility=f.FacilityFactory(unit=province.commune))
    client = login(district_user)
    assert client.get(reverse("beneficiaries:facility_export")).status_code == 200
    assert (
        client.get(reverse("beneficiaries:document_download", args=[document.pk])).status_code
        == 200
    )
    exported, downloaded = AccessEvent.objects.filter(
        kind__in=[Kind.EXPORT, Kind.DOWNLOAD]
    ).order_by("at", "pk")
    assert (exported.kind, exported.user, exported.path) == (
        Kind.EXPORT,
        district_user,
        reverse("beneficiaries:facility_export"),
    )
    assert exported.detail.endswith(".xlsx") and exported.ip == "127.0.0.1"
    assert downloaded.kind == Kind.DOWNLOAD and downloaded.detail.startswith(document.title)


def test_pages_carry_the_security_headers(login, district_user):
    response = login(district_user).get(reverse("dashboard"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_spraying_many_names_from_one_address_locks_that_address(district_user):
    for n in range(31):  # one name each: under the limit of 5 per name and address
        sign_in(Client(), f"canbo{n:02}", "Mat-khau-2026", ip="203.0.113.5")
    locked = sign_in(Client(), "bacquang", f.PASSWORD, ip="203.0.113.5")  # even a right one
    assert locked.status_code == 429
    assert "nhiều tài khoản khác nhau" in locked.content.decode()
    assert sign_in(Client(), "bacquang", f.PASSWORD, ip="10.0.0.8").status_code == 302


def test_a_good_sign_in_does_not_wipe_the_count_of_its_address(district_user):
    for n in range(29):
        sign_in(Client(), f"canbo{n:02}", "Mat-khau-2026", ip="203.0.113.5")
    assert sign_in(Client(), "bacquang", f.PASSWORD, ip="203.0.113.5").status_code == 302
    sign_in(Client(), "canbo99", "Mat-khau-2026", ip="203.0.113.5")
    assert sign_in(Client(), "bacquang", f.PASSWORD, ip="203.0.113.5").status_code == 429


def test_one_name_failing_from_many_addresses_is_locked_everywhere(district_user):
    for n in range(21):  # one address each
        sign_in(Client(), "bacquang", "sai-mat-khau", ip=f"198.51.100.{n + 1}")
    locked = sign_in(Client(), "bacquang", f.PASSWORD, ip="10.0.0.7")
    assert locked.status_code == 429
    assert "từ nhiều nơi" in locked.content.decode()


def test_an_office_behind_one_address_gets_through_a_morning_of_typos(province):
    staff = [f.UserFactory(username=f"tanquang{n}", unit=province.commune) for n in range(10)]
    for user in staff:
        for _ in range(2):
            assert sign_in(Client(), user.username, "sai-mat-khau").status_code == 200
    for user in staff:
        assert sign_in(Client(), user.username, f.PASSWORD).status_code == 302
