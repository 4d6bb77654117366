"""The dashboard shows the figures of the user's scope, in a constant number of queries."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.slow  # the demo province: seconds
def test_the_manager_sees_the_demo_provinces_figures(client, demo):
    from khuyencong.models import User

    client.force_login(User.objects.get(username="manager"))
    page = client.get(reverse("dashboard"))
    assert "Tổng quan khuyến công năm 2026" in page.text  # the year at work, not the draft 2027
    assert "Phạm vi: Tỉnh Tuyên Quang" in page.text
    page = client.get(reverse("dashboard"), {"year": 2022})  # the former Hà Giang's year
    assert "Tổng quan khuyến công năm 2022" in page.text
    assert "1.200.000.000 đ" in page.text and "2.830.000.000 đ" in page.text


@pytest.mark.slow
def test_a_district_sees_its_own_figures_only(client, demo):
    from khuyencong.models import User

    client.force_login(User.objects.get(username="bacquang"))
    page = client.get(reverse("dashboard"))
    assert "Phạm vi: Huyện Bắc Quang" in page.text
    assert "2.830.000.000 đ" not in page.text


def test_dashboard_queries_do_not_grow_with_schemes(client, officer, province):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = f.PlanFactory(unit=province.province)

    def add_schemes(n):
        for scheme in f.SchemeFactory.create_batch(n, plan=plan, unit=province.district):
            contract = f.ContractFactory(scheme=scheme, value=10)
            f.DisbursementFactory(contract=contract, amount=5)
            f.InspectionFactory(scheme=scheme, problems="Đường bị sạt lở")

    client.force_login(officer)
    counts = []
    for n in (2, 18):
        add_schemes(n)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("dashboard"))
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 24, counts  # 4 of them the multi-year table
    assert "Đường bị sạt lở" in page.text
