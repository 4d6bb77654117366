"""Times the quarterly report of the demo province: the whole pipeline (figures, template,
WeasyPrint) against WeasyPrint alone rendering the very same HTML, measured in the same run.
DESIGN's target: the pipeline adds little over WeasyPrint. Runs on a throwaway test database."""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from weasyprint import HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from khuyencong.dates import quarter_bounds  # noqa: E402
from khuyencong.models import AdministrativeUnit  # noqa: E402
from khuyencong.pdf import _STATIC_PREFIX, BASE_URL, StaticOnlyFetcher  # noqa: E402
from reports.figures import progress_figures  # noqa: E402
from reports.services import build_report_pdf  # noqa: E402
from schemes.demo import seed_demo  # noqa: E402

YEAR, QUARTER = 2022, 4


def timed(func, repeat):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append((time.perf_counter() - start) * 1000)
    runs.sort()
    return {
        "p50": statistics.median(runs),
        "p95": runs[min(len(runs) - 1, round(0.95 * (len(runs) - 1)))],
        "min": runs[0],
    }


def report_html(unit):
    """The HTML build_report_pdf renders, made once outside the timing."""
    first, last = quarter_bounds(YEAR, QUARTER)
    context = {
        "figures": progress_figures(unit=unit, year=YEAR, until=last),
        "year": YEAR,
        "quarter": QUARTER,
        "period_start": first,
        "period_end": last,
        "unit": unit,
        "province_name": "Hà Giang",
        "static_base": _STATIC_PREFIX,
    }
    return render_to_string("reports/quarterly_report_pdf.html", context)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    repeat = parser.parse_args().repeat
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        seed_demo()
        unit = AdministrativeUnit.objects.portal_province()
        html = report_html(unit)
        build_report_pdf(year=YEAR, quarter=QUARTER, unit=unit)  # warm caches and fonts once
        pipeline = timed(lambda: build_report_pdf(year=YEAR, quarter=QUARTER, unit=unit), repeat)
        alone = timed(
            lambda: HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf(
                font_config=FontConfiguration()
            ),
            repeat,
        )
        figures = timed(lambda: progress_figures(unit=unit, year=YEAR), repeat)
        with CaptureQueriesContext(connection) as queries:
            progress_figures(unit=unit, year=YEAR)
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((x.split(":", 1)[1].strip() for x in cpuinfo if "model name" in x), "?")
    print(
        f"machine: {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}; "
        f"database {connection.vendor}; {repeat} runs each; command: make bench"
    )
    print(f"{'what':<44}{'p50 ms':>9}{'p95 ms':>9}{'min ms':>9}")
    rows = [
        ("quarterly report, whole pipeline", pipeline),
        ("baseline: WeasyPrint alone, same HTML", alone),
        (f"figures alone ({len(queries)} SQL queries)", figures),
    ]
    for name, t in rows:
        print(f"{name:<44}{t['p50']:>9.1f}{t['p95']:>9.1f}{t['min']:>9.1f}")
    print(f"ratio pipeline / WeasyPrint alone (p50): {pipeline['p50'] / alone['p50']:.2f}×")


if __name__ == "__main__":
    main()
