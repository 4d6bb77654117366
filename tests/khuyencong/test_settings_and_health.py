"""Settings come from the environment and refuse an unsafe production start; /healthz tells
whether the database and the broker answer."""

import os
import subprocess
import sys

import pytest
from django.contrib import admin
from django.urls import reverse

CHECK = "import django; django.setup(); print('started')"


def start(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", CHECK],
        env={**base, "DJANGO_SETTINGS_MODULE": "khuyencong.settings", **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.slow  # new Python processes
def test_it_refuses_to_start_without_a_real_secret_key_when_debug_is_off():
    for key in ({}, {"SECRET_KEY": "short"}, {"SECRET_KEY": "django-insecure-" + "x" * 40}):
        result = start(DEBUG="0", **key)
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.slow  # new Python processes
def test_it_starts_with_a_real_secret_key_or_in_debug():
    assert start(DEBUG="0", SECRET_KEY="k" * 50).stdout.strip() == "started"
    assert start(DEBUG="1").stdout.strip() == "started"


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


@pytest.mark.slow  # the broker's connection attempt times out
@pytest.mark.django_db
def test_healthz_says_when_the_broker_is_down(client, settings):
    from khuyencong.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}


@pytest.mark.slow  # two pages of every model
@pytest.mark.django_db
def test_the_admin_lists_and_adds_every_model_in_vietnamese(client, admin_user):
    client.force_login(admin_user)
    index = client.get(reverse("admin:index"))
    assert "Quản trị cổng khuyến công" in index.text
    for model in admin.site._registry:
        meta = model._meta
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, meta.label
        assert "Chọn" in changelist.text, meta.label  # Django's Vietnamese admin
        if admin.site._registry[model].has_add_permission(changelist.wsgi_request):
            add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
            assert add.status_code == 200, meta.label


def deploy_check(**env):
    # The test run's own switches (plain HTTP, Playwright's async escape) are not production's.
    ours = ("SECRET_KEY", "DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in ours}
    production = {
        "DEBUG": "0",
        "SECRET_KEY": "Zq7-" + "production-secret-for-the-check-" * 2,
        "ALLOWED_HOSTS": "khuyencong.example.gov.vn",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, **production},
        capture_output=True,
        text=True,
    )


@pytest.mark.slow  # a new Python process
def test_production_settings_pass_the_deployment_check_without_a_warning():
    result = deploy_check()
    assert result.returncode == 0, result.stderr
    assert "no issues (0 silenced)" in result.stdout


@pytest.mark.slow  # a new Python process
def test_the_deployment_check_would_catch_plain_http():
    """The check above can fail: the same settings without HTTPS are refused."""
    result = deploy_check(HTTPS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr
