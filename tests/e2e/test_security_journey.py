"""In the browser, under the real Content-Security-Policy: every main page of each role loads
with no policy violation (htmx included), and a facility named like an attack stays text."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from beneficiaries.models import Facility
from khuyencong.models import AccessEvent, AdministrativeUnit, User
from schemes.models import Scheme
from tests import factories as f
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ATTACK = '<script>window.hacked = 1</script><img src="x" onerror="window.hacked = 2">'


def watch(page):
    """Console lines the page wrote and pages that failed to load: what the test forbids."""
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    return problems


def visit(page, url, problems):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, url
    assert page.evaluate("window.hacked") is None, url
    assert problems == [], f"{url}: {problems}"


def test_district_pages_obey_the_policy_and_show_an_attack_as_text(live_server, demo, page, shot):
    commune = AdministrativeUnit.objects.filter(parent__name__contains="Bắc Quang").first()
    facility = f.FacilityFactory(name=ATTACK, unit=commune, kind=Facility.Kind.HOUSEHOLD)
    problems = watch(page)
    log_in(page, live_server.url, "bacquang")
    expect(page.locator(".nav-tasks")).to_be_visible()
    for url in (
        reverse("dashboard"),
        reverse("beneficiaries:facility_list") + "?q=script",
        reverse("beneficiaries:facility_detail", args=[facility.pk]),
        reverse("beneficiaries:request_list"),
        reverse("duties:task_list"),
        reverse("password_change"),
    ):
        visit(page, live_server.url + url, problems)
    page.goto(live_server.url + reverse("beneficiaries:facility_detail", args=[facility.pk]))
    expect(page.get_by_role("heading", name=ATTACK)).to_be_visible()  # the words, shown
    shot("security-attack-as-text")


def test_officer_and_admin_pages_obey_the_policy(live_server, demo, page):
    problems = watch(page)
    log_in(page, live_server.url, "officer")
    scheme = Scheme.objects.order_by("pk").first()
    for url in (
        reverse("dashboard"),
        reverse("beneficiaries:request_review_queue"),
        reverse("schemes:scheme_list") + "?risk=any",
        reverse("schemes:scheme_detail", args=[scheme.pk]),
        reverse("plans:plan_list"),
        reverse("reports:report_list"),
        reverse("schemes:rule_list"),
    ):
        visit(page, live_server.url + url, problems)
    # The badge came in by htmx: scripts from our own files run under the policy.
    expect(page.locator(".nav-tasks .nav-count")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, live_server.url, "admin")
    admin = User.objects.get(username="admin")
    for url in (
        reverse("admin:index"),
        reverse("admin:khuyencong_accessevent_changelist"),
        reverse("admin:khuyencong_user_change", args=[admin.pk]),
    ):
        visit(page, live_server.url + url, problems)
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.LOGIN, username="admin").exists()
