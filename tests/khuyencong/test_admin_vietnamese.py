"""The admin speaks Vietnamese: its own chrome (Django 5.2's Vietnamese catalogue lacks some
strings, locale/vi adds them) and django-axes' lockout records (which ship no Vietnamese)."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH = (
    "AXES",
    "Axes",
    "Access attempt",
    "Access attempts",
    "access attempt",
    "Access logs",
    "Access failures",
    "Toggle theme",
    "Skip to main content",
    "Toggle navigation",
    "Show counts",
    "Hide counts",
    "Breadcrumbs",
    "Sidebar",
    "Model name",
    "Attempt Remaining",
    "Attempted Access",
    "Failed Logins",
    "User Agent",
    "IP Address",
    "Select all objects",
    "Status",
)


@pytest.fixture
def attempt():
    AccessLog.objects.create(
        username="x", ip_address="10.0.0.1", user_agent="ua", http_accept="", path_info="/"
    )
    return AccessAttempt.objects.create(
        username="x",
        ip_address="10.0.0.1",
        user_agent="ua",
        failures_since_start=1,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/dang-nhap/",
    )


@pytest.mark.parametrize(
    "url",
    [
        lambda a: reverse("admin:index"),
        lambda a: reverse("admin:axes_accessattempt_changelist"),
        lambda a: reverse("admin:axes_accessattempt_changelist") + "?_facets=True",
        lambda a: reverse("admin:axes_accesslog_changelist"),
        lambda a: reverse("admin:axes_accessattempt_change", args=[a.pk]),
        lambda a: reverse("admin:khuyencong_user_changelist"),
    ],
    ids=["index", "attempts", "attempts-counts", "logs", "attempt", "users"],
)
def test_admin_pages_hold_no_english_chrome(login, admin_user, attempt, url):
    page = login(admin_user).get(url(attempt)).content.decode()
    assert [word for word in ENGLISH if word in page] == []
    assert "Khóa đăng nhập" in page or "Người dùng" in page
