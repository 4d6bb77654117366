"""The portal's URLs plus the benchmarks' baseline: a trivial view that renders the base
template with no query of its own, so that a page's cost shows as a ratio to it. Test-only:
bench_pages.py uses it in-process, bench_load.py through gunicorn (tests/bench/wsgi.py)."""

from django.shortcuts import render
from django.urls import include, path

TRIVIAL = "/bench-trivial/"


def trivial(request):
    """The baseline: the base template, nothing else."""
    return render(request, "base.html", {})


urlpatterns = [path(TRIVIAL.strip("/") + "/", trivial), path("", include("portal.urls"))]
