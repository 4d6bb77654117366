"""Server time of the portal's pages at N× a province (default 10×, `generate_bench_data`), for
an officer of that province (the tasks page and the menu's badge also for a manager and for the
staff of the busiest commune): lists with and without filters and text search, the detail pages
of the largest scheme and facility, and the dashboard. Each against a trivial view, measured in
the same run, that renders the same base template with no query of its own, so the ratio shows
what the page itself costs. The pages take turns, round after round, so that a slower spell of
the machine weighs on all of them alike. Runs through Django's test client on a throwaway test
database."""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from beneficiaries.models import Facility, SupportRequest  # noqa: E402
from khuyencong.models import AdministrativeUnit, User  # noqa: E402
from schemes.models import Scheme  # noqa: E402
from tests.bench.machine import machine_line  # noqa: E402
from tests.bench.urls import TRIVIAL  # noqa: E402


def queries_of(client, url):
    client.get(url)  # warm the templates and the connection
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        client.get(url)
    return len(queries)


def timed(clients, urls, repeat):
    """{(role, url): (p50 ms, p95 ms)} of `repeat` rounds, each requesting every page once, in
    turn, each as its role's user (`clients`)."""
    runs = {url: [] for url in urls}
    for _ in range(repeat):
        for url in urls:
            client = clients[url[0]]
            start = time.perf_counter()
            response = client.get(url[1])
            runs[url].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    result = {}
    for url, times in runs.items():
        times.sort()
        result[url] = statistics.median(times), times[round(0.95 * (len(times) - 1))]
    return result


def busiest_local_unit():
    """The unit (a commune, since the reform) with the most requests: its staff's tasks."""
    busiest = (
        SupportRequest.objects.values("scope_unit").annotate(n=Count("pk")).order_by("-n").first()
    )
    return AdministrativeUnit.objects.get(pk=busiest["scope_unit"])


def pages(province):
    largest_scheme = (
        Scheme.objects.filter(unit__path__startswith=province.path)
        .annotate(n=Count("beneficiaries"))
        .order_by("-n", "-budget")
        .first()
    )
    largest_facility = (
        Facility.objects.filter(unit__path__startswith=province.path)
        .annotate(n=Count("scheme_links"))
        .order_by("-n")
        .first()
    )
    return [
        ("baseline: trivial view", TRIVIAL),
        ("facility list", "/facilities/"),
        ("facility list, search", "/facilities/?q=hung+tan"),
        ("request list", "/requests/"),
        ("request list, year + status", "/requests/?year=2025&status=submitted"),
        ("review queue", "/requests/review/"),
        ("scheme list with risk flags", "/schemes/"),
        ("scheme list, any risk", "/schemes/?risk=any"),
        ("scheme list, search", "/schemes/?q=may+say"),
        ("contract list", "/schemes/contracts/"),
        ("payment list", "/schemes/disbursements/"),
        ("largest scheme page", f"/schemes/{largest_scheme.pk}/"),
        ("largest facility page", f"/facilities/{largest_facility.pk}/"),
        ("dashboard", "/?year=2024"),
        ("tasks (the officer's due work)", "/tasks/"),
        ("menu badge (the officer's count)", "/tasks/badge/"),
        ("tasks, a manager", "/tasks/", "manager"),
        ("menu badge, a manager", "/tasks/badge/", "manager"),
        ("tasks, a district", "/tasks/", "district"),
        ("menu badge, a district", "/tasks/badge/", "district"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--only",
        default="",
        help="time only the pages whose name has one of these words, comma-separated (and the "
        "baseline): --only tasks,badge",
    )
    args = parser.parse_args()
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rows = []
    try:
        call_command("generate_bench_data", scale=args.scale, seed=1, stdout=io.StringIO())
        province = AdministrativeUnit.objects.get(code="B1")
        users = {
            "officer": User.objects.create_user(
                "bench_officer", role=User.Role.OFFICER, unit=province
            ),
            "manager": User.objects.create_user(
                "bench_manager", role=User.Role.MANAGER, unit=province
            ),
            "district": User.objects.create_user(
                "bench_district", role=User.Role.DISTRICT, unit=busiest_local_unit()
            ),
        }
        with override_settings(ROOT_URLCONF="tests.bench.urls", ALLOWED_HOSTS=["testserver"]):
            clients = {}
            for role, user in users.items():
                clients[role] = Client()
                clients[role].force_login(user)
            plan = [
                (name, (rest or ["officer"])[0], url)
                for n, (name, url, *rest) in enumerate(pages(province))
                if n == 0 or any(word in name for word in args.only.split(","))
            ]
            queries = {(role, url): queries_of(clients[role], url) for _, role, url in plan}
            times = timed(clients, [(role, url) for _, role, url in plan], args.repeat)
            rows = [(name, *times[role, url], queries[role, url]) for name, role, url in plan]
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)

    print(
        f"machine: {machine_line()}; "
        f"database {connection.vendor}; {args.scale:g}× a province; {args.repeat} runs each, "
        "interleaved; "
        f"DEBUG={settings.DEBUG}; command: make bench"
    )
    base = rows[0][1]
    header = f"{'page (officer of the province)':<34}{'p50 ms':>8}{'p95 ms':>8}"
    print(f"{header}{'× trivial':>11}{'SQL':>5}")
    for name, p50, p95, queries in rows:
        print(f"{name:<34}{p50:>8.1f}{p95:>8.1f}{p50 / base:>10.1f}×{queries:>5}")


if __name__ == "__main__":
    main()
