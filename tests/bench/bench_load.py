"""Throughput of the portal under gunicorn, two sync workers as in production (Dockerfile,
docker-compose.yml), driven by wrk on 127.0.0.1 for a bounded time per scenario: requests per
second, p50 and p95 of an officer of N× a province (default 10×, `generate_bench_data`) on a mix
of lists, detail pages and the dashboard, and on each kind alone, against the same server's
trivial view (tests/bench/urls.py), which renders the base template with no query of its own.
The scenarios take turns in short rounds, so that a change in the machine's load during the run
weighs on all of them alike. Runs on a throwaway test database; needs PostgreSQL (gunicorn's
workers share the database)."""

import argparse
import io
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from beneficiaries.models import Facility  # noqa: E402
from khuyencong.models import AdministrativeUnit, User  # noqa: E402
from schemes.models import Scheme  # noqa: E402
from tests.bench.bench_pages import pages  # noqa: E402
from tests.bench.machine import machine_line  # noqa: E402
from tests.bench.urls import TRIVIAL  # noqa: E402
from tests.dburl import database_url  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
CONNECTIONS = 4  # two per worker: each always has the next request waiting
LUA = Path(__file__).with_name("load.lua")


def scenarios(province):
    """[(name, paths)]: the trivial view, the mix, then each kind of page alone."""
    urls = [url for _, url in pages(province) if url != TRIVIAL]
    details = [url for url in urls if url.rstrip("/").rsplit("/", 1)[-1].isdigit()]
    details += _middle_pages(province)
    dashboard = [url for url in urls if url.startswith("/?")]
    lists = [url for url in urls if url not in details and url not in dashboard]
    mix = lists + details + dashboard
    return [
        ("baseline: trivial view", [TRIVIAL]),
        (f"mix: {len(lists)} lists, {len(details)} details, dashboard", mix),
        (f"lists ({len(lists)}, with filters)", lists),
        (f"detail pages ({len(details)})", details),
        ("dashboard", dashboard),
    ]


def _middle_pages(province):
    """Besides the largest: the scheme and the facility in the middle of the province's."""
    schemes = Scheme.objects.filter(unit__path__startswith=province.path).order_by("pk")
    facilities = Facility.objects.filter(unit__path__startswith=province.path).order_by("pk")
    scheme = schemes[schemes.count() // 2]
    facility = facilities[facilities.count() // 2]
    return [f"/schemes/{scheme.pk}/", f"/facilities/{facility.pk}/"]


def session_cookie(user):
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect (to the login page, say) is an answer to report, not one to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn serving tests/bench/wsgi.py on a free port of 127.0.0.1, stopped on exit."""

    def __init__(self, worker_class, threads):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        handle, self.log = tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")
        env = os.environ | {
            "DATABASE_URL": database_url(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "0",
            "HTTPS": "0",
        }
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "tests.bench.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={WORKERS}",
            f"--worker-class={worker_class}",
            f"--threads={threads}",
            "--timeout=120",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        os.close(handle)

    def get(self, path, cookie):
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie})
        try:
            with _OPENER.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def wait_until_up(self, cookie, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if self.get(TRIVIAL, cookie) == 200:
                    return
            except OSError:
                time.sleep(0.2)
        tail = self.log_tail()
        self.stop()
        sys.exit(f"gunicorn did not answer:\n{tail}")

    def log_tail(self):
        return Path(self.log).read_text()[-3000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
        Path(self.log).unlink(missing_ok=True)


def run_wrk(server, cookie, paths, seconds):
    command = [
        "wrk",
        "--threads=1",
        f"--connections={CONNECTIONS}",
        f"--duration={seconds}s",
        "--timeout=30s",
        f"--script={LUA}",
        server.base,
        "--",
        cookie,
        *paths,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def summed(rounds):
    """One scenario's rounds as one: requests per second over all of them; the median round's
    p50 and p95 (wrk reports percentiles, not the latencies they come from)."""
    return {
        "rps": sum(r["requests"] for r in rounds) / sum(r["seconds"] for r in rounds),
        "p50_ms": statistics.median(r["p50_ms"] for r in rounds),
        "p95_ms": statistics.median(r["p95_ms"] for r in rounds),
        "not_ok": sum(r["not_200"] + r["socket_errors"] for r in rounds),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=20, help="per scenario, in all")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", help="gunicorn's, e.g. gthread")
    parser.add_argument("--threads", type=int, default=1, help="per worker, for gthread")
    args = parser.parse_args()
    slice_seconds = max(1, args.seconds // args.rounds)
    if not shutil.which("wrk"):
        print("bench_load: skipped, wrk is missing (`make bench` installs it)")
        return
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rows = []
    server = None
    try:
        call_command("generate_bench_data", scale=args.scale, seed=1, stdout=io.StringIO())
        province = AdministrativeUnit.objects.get(code="B1")
        officer = User.objects.create_user("bench_officer", role=User.Role.OFFICER, unit=province)
        cookie = session_cookie(officer)
        plan = scenarios(province)
        connection.close()  # gunicorn's workers hold their own connections
        server = Gunicorn(args.worker_class, args.threads)
        server.wait_until_up(cookie)
        for _ in range(2):  # each worker: templates, connection, caches
            for path in {path for _, paths in plan for path in paths}:
                if (status := server.get(path, cookie)) != 200:
                    sys.exit(f"{path}: {status}\n{server.log_tail()}")
        rounds = {name: [] for name, _ in plan}
        for _ in range(args.rounds):
            for name, paths in plan:
                rounds[name].append(run_wrk(server, cookie, paths, slice_seconds))
        rows = [(name, summed(rounds[name])) for name, _ in plan]
    finally:
        if server:
            server.stop()
        connection.creation.destroy_test_db(test_db, verbosity=0)

    workers = f"{WORKERS} {args.worker_class} workers"
    if args.worker_class == "gthread":
        workers += f" of {args.threads} threads"
    print(
        f"machine: {machine_line()}; database {connection.vendor}; {args.scale:g}× a province; "
        f"gunicorn {workers}; wrk 1 thread, {CONNECTIONS} connections; {args.rounds} rounds of "
        f"{slice_seconds} s per scenario; DEBUG={settings.DEBUG}; command: make bench"
    )
    base = rows[0][1]
    header = f"{'scenario (officer of the province)':<40}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
    print(f"{header}{'× trivial':>11}{'not 200':>9}")
    for name, r in rows:
        cost = base["rps"] / r["rps"]
        print(
            f"{name:<40}{r['rps']:>8.1f}{r['p50_ms']:>8.1f}{r['p95_ms']:>8.1f}"
            f"{cost:>10.1f}×{r['not_ok']:>9}"
        )
    if any(r["not_ok"] for _, r in rows):
        sys.exit("bench_load: some answers were not 200 (see the last column)")


if __name__ == "__main__":
    main()
