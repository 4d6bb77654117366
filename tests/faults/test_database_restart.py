"""PostgreSQL restarted under the portal: gunicorn (two workers, as in production) keeps
serving, every page asked for once the database answers again is served, and a form posted
then is saved — without restarting the portal."""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import NamedTuple

import psycopg
import pytest

from tests.conftest import wait_for
from tests.factories import PASSWORD
from tests.faults.browser import form_values
from tests.services import Portal, PrivatePostgres, manage, portal_env

pytestmark = pytest.mark.slow

PAGES = ["/", "/facilities/", "/requests/", "/plans/", "/schemes/"]

# A district user with a facility in his commune, entered with the test factories.
SEED = """
from khuyencong.models import User
from tests import factories as f
province = f.ProvinceFactory(code="02", name="Tỉnh Hà Giang")
district = f.DistrictFactory(code="034", name="Huyện Bắc Quang", parent=province)
commune = f.CommuneFactory(name="Xã Tân Quang", parent=district)
f.UserFactory(username="bacquang", role=User.Role.DISTRICT, unit=district)
f.FacilityFactory(unit=commune)
print(commune.pk, f.SectorFactory().pk)
"""


class Browser:
    """A signed-in browser: one cookie jar, shared by the threads that use it."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path, data=None):
        """(status, final path, text); status None when no HTTP answer came at all."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, body, timeout=30) as response:
                page = response.read().decode()
                return response.status, urllib.parse.urlsplit(response.url).path, page
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode(errors="replace")
        except OSError:
            return None, path, ""

    def post_form(self, path, data):
        """Open the page at `path`, fill its form with `data` and send it."""
        _, _, page = self.open(path)
        return self.open(path, {**form_values(page), **data})


class Answer(NamedTuple):
    sent: float
    took: float
    path: str
    status: int | None


class Traffic:
    """Pages asked for without pause by `clients` threads at once, each answer timed."""

    def __init__(self, browser, clients=2):
        self.browser = browser
        self.answers = []
        self.running = True
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(clients)]

    def _run(self, n):
        i = n
        while self.running:
            path = PAGES[i % len(PAGES)]
            sent = time.monotonic()
            status, _, _ = self.browser.open(path)
            self.answers.append(Answer(sent, time.monotonic() - sent, path, status))
            i += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=60)


@pytest.fixture
def private_postgres():
    postgres = PrivatePostgres()
    try:
        postgres.start()
        yield postgres
    finally:
        postgres.destroy()


@pytest.fixture
def portal(private_postgres, tmp_path):
    """The portal migrated and seeded on the private PostgreSQL, served by gunicorn."""
    private_postgres.create_database("khuyencong")
    env = portal_env(
        DATABASE_URL=private_postgres.url("khuyencong"), MEDIA_ROOT=str(tmp_path / "media")
    )
    manage("migrate", "--noinput", env=env)
    commune, sector = manage("shell", "-c", SEED, env=env).split()[-2:]
    server = Portal(env)
    server.commune, server.sector = commune, sector
    yield server
    server.stop()


def _backends(postgres):
    """Sessions of the portal on the database, other than this query's own."""
    with psycopg.connect(postgres.url("khuyencong")) as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = 'khuyencong' "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchone()[0]


def test_pages_and_forms_are_served_again_once_postgresql_is_back(private_postgres, portal):
    browser = Browser(portal.url)
    status, landed, _ = browser.post_form(
        "/accounts/login/", {"username": "bacquang", "password": PASSWORD}
    )
    assert (status, landed) == (200, "/"), portal.log_tail()
    workers = portal.worker_pids()
    with Traffic(browser) as before:
        # Until both workers hold a connection open (CONN_MAX_AGE) that the restart will cut.
        wait_for(lambda: _backends(private_postgres) == 2, timeout=20)
    assert before.answers and all(a.status == 200 for a in before.answers), before.answers

    # Restarted while the portal is idle: each worker's next page finds its connection dead.
    began = time.monotonic()
    private_postgres.restart()  # fast: every session is cut off at once
    restarted = time.monotonic() - began
    with Traffic(browser) as after:
        time.sleep(2)
    _assert_all_served(after.answers, portal)
    assert _backends(private_postgres) == 2, "each worker is connected again"

    # Restarted under load: what is in flight may fail, with an error page; nothing after.
    with Traffic(browser) as busy:
        time.sleep(0.5)
        private_postgres.restart()
        back = time.monotonic()
        time.sleep(2)
    cut_off = [a for a in busy.answers if a.sent < back and a.status != 200]
    assert all(a.status == 500 for a in cut_off), cut_off  # an answer, not a dropped socket
    _assert_all_served([a for a in busy.answers if a.sent >= back], portal)
    print(
        f"\nrestart: {restarted:.2f} s idle; after it {len(after.answers)} pages in 2 s, the "
        f"first in {after.answers[0].took:.3f} s; under load {len(busy.answers)} pages, "
        f"{len(cut_off)} cut off by the restart"
    )
    assert portal.process.poll() is None and portal.worker_pids() == workers, "portal restarted"

    status, landed, page = browser.post_form(
        "/facilities/new/",
        {
            "name": "Hợp tác xã mây tre đan Tân Quang",
            "kind": "cooperative",
            "sector": portal.sector,
            "unit": portal.commune,
            "address": "Thôn Tân Thành",
            "owner_name": "Nguyễn Văn Bình",
            "tax_code": "5100777888",
            "workers": "8",
        },
    )
    assert status == 200 and re.fullmatch(r"/facilities/\d+/", landed), page[:2000]
    assert "Đã lưu cơ sở" in page
    with psycopg.connect(private_postgres.url("khuyencong")) as connection:
        saved = connection.execute(
            "SELECT count(*) FROM beneficiaries_facility WHERE tax_code = '5100777888'"
        ).fetchone()[0]
    assert saved == 1


def _assert_all_served(answers, portal):
    failed = [a for a in answers if a.status != 200]
    assert len(answers) >= 10 and not failed, f"{failed}\n{portal.log_tail()}"
