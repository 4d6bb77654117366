"""The dashboard shows the figures of the user's scope, in a constant number of queries."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_manager_sees_the_demo_provinces_figures(client, demo):
    from khuyencong.models import User

    client.force_login(User.objects.get(username="manager"))
    page = client.get(reverse("dashboard"))
    assert "Tổng quan khuyến công năm 2022" in page.text
    assert "1.200.000.000 đ" in page.text and "2.830.000.000 đ" in page.text


def test_a_district_sees_its_own_figures_only(client, demo):
    from khuyencong.models import User

    client.force_login(User.objects.get(username="bacquang"))
    page = client.get(reverse("dashboard"))
    assert "Phạm vi: Huyện Bắc Quang" in page.text
    assert "2.830.000.000 đ" not in page.text


def test_dashboard_queries_do_not_grow_with_schemes(
    client, officer, province, django_assert_max_num_queries
):
    plan = f.PlanFactory(unit=province.province)
    for scheme in f.SchemeFactory.create_batch(20, plan=plan, unit=province.district):
        f.DisbursementFactory(contract=f.ContractFactory(scheme=scheme, value=10), amount=5)
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("dashboard"))
    assert "20" in page.text
