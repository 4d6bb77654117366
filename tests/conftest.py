"""Shared fixtures: a small province with two districts and the three actors of every scope
test — the owner, a colleague of the same unit, and a user of another unit."""

import os
import uuid
from dataclasses import dataclass

import pytest

from khuyencong.models import User
from tests import factories as f


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and generated files of a test go to its own folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def plain_http(settings):
    """The test client and the live server speak plain HTTP; production settings (HTTPS on
    whenever DEBUG is off) are checked by `check --deploy` in tests/test_deployment.py."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def own_cache_keys(settings):
    """The cache (Redis under CI) with keys of this test's own: a test database starts its ids
    again at 1, so a user's cached figures of an earlier run or test would otherwise be read."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": uuid.uuid4().hex}
    settings.CACHES = {**settings.CACHES, "default": default}


@pytest.fixture(autouse=True)
def follow_kept_pages(request, monkeypatch):
    """A refused form's POST answers 303 to its kept page (khuyencong.guards.RefusedPostKept),
    which a browser follows at once: the test client does the same, so that a test reads the
    page the user sees (its status is the POST's), the 303 being in `response.kept_by`. Tests
    of the redirect itself are marked `kept_pages` and see it as it is."""
    if request.node.get_closest_marker("kept_pages"):
        return
    from django.test import Client

    from khuyencong.guards import KEPT_PARAMETER

    post = Client.post

    def post_and_follow(self, path, *args, **kwargs):
        response = post(self, path, *args, **kwargs)
        location = response.get("Location", "") if response.status_code == 303 else ""
        if f"{KEPT_PARAMETER}=" in location and not kwargs.get("follow"):
            shown = self.get(location)
            shown.kept_by = response
            # The page shown is the one the POST rendered: its context, templates and messages.
            shown.context, shown.templates = response.context, response.templates
            shown.wsgi_request = response.wsgi_request
            return shown
        return response

    monkeypatch.setattr(Client, "post", post_and_follow)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hash test passwords with a fast hasher: the real one takes half a second per user on
    purpose, which made every test that creates users (seed_demo: 14) slow for nothing."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@dataclass
class Province:
    province: object
    district: object  # the owner's district
    commune: object
    other_district: object
    other_commune: object


@pytest.fixture
def province(db):
    province = f.ProvinceFactory(code="02", name="Tỉnh Hà Giang")
    district = f.DistrictFactory(code="034", name="Huyện Bắc Quang", parent=province)
    other = f.DistrictFactory(code="026", name="Huyện Đồng Văn", parent=province)
    return Province(
        province=province,
        district=district,
        commune=f.CommuneFactory(name="Xã Tân Quang", parent=district),
        other_district=other,
        other_commune=f.CommuneFactory(name="Xã Lũng Cú", parent=other),
    )


@pytest.fixture
def district_user(province):
    """The owner: district staff of Bắc Quang."""
    return f.UserFactory(username="bacquang", role=User.Role.DISTRICT, unit=province.district)


@pytest.fixture
def colleague(province):
    """Another member of staff of the same district."""
    return f.UserFactory(username="bacquang2", role=User.Role.DISTRICT, unit=province.district)


@pytest.fixture
def other_district_user(province):
    """District staff of Đồng Văn: must never see Bắc Quang's records."""
    return f.UserFactory(username="dongvan", role=User.Role.DISTRICT, unit=province.other_district)


@pytest.fixture
def officer(province):
    return f.UserFactory(username="officer", role=User.Role.OFFICER, unit=province.province)


@pytest.fixture
def manager(province):
    return f.UserFactory(username="manager", role=User.Role.MANAGER, unit=province.province)


@pytest.fixture
def admin_user(province):
    return f.UserFactory(
        username="admin", role=User.Role.ADMIN, unit=None, is_staff=True, is_superuser=True
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def tasks_here(monkeypatch, django_capture_on_commit_callbacks):
    """The Celery tasks a request queues run in this process as soon as the request commits
    (the library's eager mode), for every test client: a page test sees what the worker would
    have done. Tests of the worker itself start one (celery_worker)."""
    from django.test import Client

    from khuyencong.celery import app

    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    send = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return send(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)
    yield
    app.conf.update(task_always_eager=False, task_eager_propagates=False)


def start_worker(settings, *, env=None, beat_dir=None):
    """A real Celery worker process on Redis, using this test's PostgreSQL database; with
    `beat_dir`, the beat schedule runs inside it. Its own session, so that a test can kill the
    whole worker (main process and pool) at once."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.dburl import database_url

    if not settings.REDIS_URL:
        pytest.fail("a worker process needs Redis: `make test` provides one (REDIS_URL)")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **(env or {}),
    }
    celery = Path(sys.executable).with_name("celery")
    command = [str(celery), "-A", "khuyencong", "worker", "--loglevel=INFO", "--concurrency=1"]
    command += ["--without-gossip", "--without-mingle", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE]
    if beat_dir:
        command += ["-B", "--schedule", str(beat_dir / "celerybeat-schedule")]
    return subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_worker(process):
    import subprocess

    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()


@pytest.fixture
def celery_worker(transactional_db, settings):
    process = start_worker(settings)
    yield process
    stop_worker(process)


@pytest.fixture
def workers(transactional_db, settings):
    """Start workers with `workers(env=..., beat_dir=...)`; all are stopped after the test."""
    started = []

    def start(**kwargs):
        started.append(start_worker(settings, **kwargs))
        return started[-1]

    yield start
    for process in started:
        stop_worker(process)


def wait_for(predicate, timeout=60, interval=0.25):
    """Poll until predicate() is truthy; fail the test after `timeout` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")


def pdf_text(path_or_file):
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(path_or_file).pages)
    return " ".join(text.split())  # table cells wrap: compare words, not lines


@pytest.fixture
def demo(db, settings):
    """The demo province, loaded by `seed_demo` (which needs DEBUG on) for this test alone."""
    import io

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo province loaded once for the module (seed_demo takes seconds), for modules whose
    tests all use it and change nothing of it outside their own transaction. It is written in
    a transaction left open for the module: each test's transaction nests in it and is rolled
    back as usual, and the demo itself is rolled back after the module's last test. Not for
    transactional or live-server tests, which would run inside it: they take `demo`."""
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    seeding = override_settings(
        DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tmp_path_factory.mktemp("demo")
    )
    with django_db_blocker.unblock(), transaction.atomic():
        with seeding:
            call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
