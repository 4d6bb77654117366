"""Times the quarterly report — figures, charts, template, WeasyPrint and the .xlsx — against
WeasyPrint alone rendering the very same final HTML, measured in the same run, for the demo
province and for N× a province made by `generate_bench_data` (default 10×). The ratio shows
the report's own overhead. Runs on a throwaway test database."""

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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from khuyencong.dates import quarter_bounds  # noqa: E402
from khuyencong.models import AdministrativeUnit  # noqa: E402
from khuyencong.pdf import html_to_pdf, render_html  # noqa: E402
from reports.figures import progress_figures  # noqa: E402
from reports.services import REPORT_TEMPLATE, build_report, report_context  # noqa: E402
from sampledata.demo import seed_demo  # noqa: E402
from tests.bench.machine import machine_line  # noqa: E402

# The scaled province's last full year before the 2025 reform: its own units, all its plans,
# and four years of late schemes behind it.
SCALED_YEAR, SCALED_QUARTER = 2024, 4


def timed(func, repeat):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def measure(name, unit, year, quarter, repeat):
    """One row of the table: the report of `unit` for a quarter."""
    context = report_context(year=year, quarter=quarter, unit=unit)
    html = render_html(REPORT_TEMPLATE, context)
    pages = len(PdfReader(io.BytesIO(html_to_pdf(html))).pages)  # also warms fonts and caches
    first, last = quarter_bounds(year, quarter)
    with CaptureQueriesContext(connection) as queries:
        figures = progress_figures(unit=unit, year=year, until=last, period_start=first)
    return {
        "name": name,
        "pages": pages,
        "schemes": figures.scheme_count,
        "at_risk": len(figures.at_risk),
        "queries": len(queries),
        "pipeline": timed(lambda: build_report(year=year, quarter=quarter, unit=unit), repeat),
        "alone": timed(lambda: html_to_pdf(html), repeat),
        "figures": timed(
            lambda: progress_figures(unit=unit, year=year, until=last, period_start=first), repeat
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs of the demo report")
    parser.add_argument("--scale", type=float, default=10, help="0 skips the scaled province")
    parser.add_argument("--scaled-repeat", type=int, default=3)
    args = parser.parse_args()
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rows = []
    try:
        seed_demo()
        demo = AdministrativeUnit.objects.portal_province()
        rows.append(measure("demo province, Q4/2022", demo, 2022, 4, args.repeat))
        if args.scale:
            start = time.perf_counter()
            call_command("generate_bench_data", scale=args.scale, seed=1, stdout=io.StringIO())
            generated = time.perf_counter() - start
            scaled = AdministrativeUnit.objects.get(code="B1")
            rows.append(
                measure(
                    f"{args.scale:g}× province, Q{SCALED_QUARTER}/{SCALED_YEAR}",
                    scaled,
                    SCALED_YEAR,
                    SCALED_QUARTER,
                    args.scaled_repeat,
                )
            )
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)

    print(
        f"machine: {machine_line()}; "
        f"database {connection.vendor}; median of {args.repeat} runs (demo) and "
        f"{args.scaled_repeat} (scaled); command: make bench"
    )
    if args.scale:
        print(f"generate_bench_data --scale {args.scale:g}: {generated:.1f} s")
    header = (
        f"{'report':<26}{'pages':>6}{'schemes':>8}{'at risk':>8}{'report s':>10}"
        f"{'WeasyPrint s':>13}{'ratio':>7}{'figures s':>10}{'SQL':>5}"
    )
    print(header)
    for r in rows:
        print(
            f"{r['name']:<26}{r['pages']:>6}{r['schemes']:>8}{r['at_risk']:>8}"
            f"{r['pipeline']:>10.2f}{r['alone']:>13.2f}{r['pipeline'] / r['alone']:>6.2f}×"
            f"{r['figures']:>10.3f}{r['queries']:>5}"
        )
    print(
        "report s: figures, charts, template, WeasyPrint and the .xlsx; WeasyPrint s: "
        "WeasyPrint alone on the same final HTML; ratio = report / WeasyPrint alone."
    )


if __name__ == "__main__":
    main()
