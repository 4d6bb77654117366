"""Two heavy spreadsheets uploaded at the same instant to the portal under gunicorn (two sync
workers, as in production): the uploads are answered at once, the worker reads them, and
meanwhile /healthz and another user's pages keep answering."""

import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import global_settings

from beneficiaries.models import ImportBatch
from khuyencong.models import User
from tests import factories as f
from tests.bench.bench_uploads import workbook
from tests.conftest import wait_for
from tests.dburl import database_url
from tests.factories import PASSWORD
from tests.faults.browser import form_values
from tests.faults.test_database_restart import Browser
from tests.services import Portal, portal_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

UPLOAD = "/facilities/import/"


def heavy_sheet(path):
    """20,000 rows of 150 cells: under every cheap limit (45 MB unpacked, an ordinary ratio),
    so that only reading it shows what it costs."""
    workbook(path, rows=20_000, columns=150)
    return path


def post_file(browser, path, file):
    """Send `file` through the upload form of the page at `path`: (status, final path, seconds)."""
    _, _, page = browser.open(path)
    fields = form_values(page)
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file.name}"\r\n'
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        "\r\n\r\n".encode()
        + file.read_bytes()
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        browser.base_url + path,
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    began = time.monotonic()
    with browser.opener.open(request, timeout=60) as response:
        response.read()
        return response.status, urllib.parse.urlsplit(response.url).path, time.monotonic() - began


def test_two_heavy_uploads_leave_the_portal_answering(settings, tmp_path, workers):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the portal's own, to sign in
    commune = f.CommuneFactory()
    f.SectorFactory()
    senders = [
        f.UserFactory(username=f"nhap{n}", role=User.Role.DISTRICT, unit=commune.parent)
        for n in (1, 2)
    ]
    reader = f.UserFactory(username="doc", role=User.Role.DISTRICT, unit=commune.parent)
    f.FacilityFactory(unit=commune)
    sheet = heavy_sheet(Path(tmp_path) / "nang.xlsx")
    workers()
    portal = Portal(
        portal_env(DATABASE_URL=database_url(), MEDIA_ROOT=str(settings.MEDIA_ROOT)), workers=2
    )
    try:
        browsers = {}
        for user in [*senders, reader]:
            browsers[user.username] = Browser(portal.url)
            status, landed, _ = browsers[user.username].post_form(
                "/accounts/login/", {"username": user.username, "password": PASSWORD}
            )
            assert (status, landed) == (200, "/"), portal.log_tail()

        probes, uploads, running = [], {}, True

        def probe():
            n = 0
            while running:
                path = ("/healthz", "/facilities/")[n % 2]
                began = time.monotonic()
                status, _, _ = browsers["doc"].open(path)
                probes.append((path, status, time.monotonic() - began))
                n += 1
                time.sleep(0.1)

        def send(username):
            uploads[username] = post_file(browsers[username], UPLOAD, sheet)

        prober = threading.Thread(target=probe)
        prober.start()
        senders_threads = [threading.Thread(target=send, args=(u.username,)) for u in senders]
        for thread in senders_threads:
            thread.start()
        for thread in senders_threads:
            thread.join(timeout=90)
        # Until the worker has read both files: the time a web worker would have been held.
        wait_for(
            lambda: (
                not ImportBatch.objects.filter(status__in=ImportBatch.IN_FLIGHT).exists()
                and ImportBatch.objects.count() == 2
            ),
            timeout=120,
        )
        running = False
        prober.join(timeout=30)
    finally:
        portal.stop()

    for username, (status, landed, took) in uploads.items():
        assert status == 200 and landed.startswith("/imports/batch/"), (username, landed)
        assert took < 5, f"{username}'s upload held a web worker {took:.1f} s"
    slowest = max(took for _, _, took in probes)
    failed = [p for p in probes if p[1] != 200]
    assert len(probes) >= 10 and not failed, failed
    assert slowest < 2, f"a page took {slowest:.2f} s during the uploads"
    outcomes = {b.status for b in ImportBatch.objects.all()}
    assert outcomes <= {"refused", "checked"}, outcomes
    print(
        f"\nuploads answered in {', '.join(f'{u[2]:.2f} s' for u in uploads.values())}; "
        f"{len(probes)} pages and health checks meanwhile, the slowest {slowest:.2f} s"
    )
