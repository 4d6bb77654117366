"""Schemes are seen where they are placed, and by the districts whose facilities take part."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def schemes(province):
    plan = f.PlanFactory(unit=province.province)
    return {
        "district": f.SchemeFactory(plan=plan, unit=province.district, title="Máy sao chè"),
        "other": f.SchemeFactory(plan=plan, unit=province.other_district, title="Khung dệt lanh"),
        "group": f.SchemeFactory(plan=plan, unit=province.province, title="Đề án nhóm tỉnh"),
    }


def test_district_user_sees_his_schemes_and_the_groups_his_facilities_join(
    login, district_user, province, schemes
):
    f.SchemeBeneficiaryFactory(
        scheme=schemes["group"], facility=f.FacilityFactory(unit=province.commune)
    )
    page = login(district_user).get(reverse("schemes:scheme_list"))
    assert "Máy sao chè" in page.text
    assert "Đề án nhóm tỉnh" in page.text
    assert "Khung dệt lanh" not in page.text


def test_other_districts_scheme_answers_404(login, district_user, schemes):
    url = reverse("schemes:scheme_detail", args=[schemes["other"].pk])
    assert login(district_user).get(url).status_code == 404


def test_other_district_cannot_run_a_transition(login, other_district_user, manager, schemes):
    url = reverse("schemes:scheme_transition", args=[schemes["district"].pk, "approve"])
    response = login(other_district_user).post(
        url, {"decision_number": "1/QĐ", "decision_date": "01/03/2022"}
    )
    assert response.status_code == 404
    schemes["district"].refresh_from_db()
    assert schemes["district"].status == "proposed"


def test_scheme_list_query_count_does_not_grow_with_rows(
    login, officer, province, schemes, django_assert_max_num_queries
):
    f.SchemeFactory.create_batch(25, plan=schemes["group"].plan, unit=province.district)
    client = login(officer)
    with django_assert_max_num_queries(8):
        client.get(reverse("schemes:scheme_list"))


def test_scheme_detail_shows_amounts(login, officer, schemes):
    scheme = schemes["district"]
    contract = f.ContractFactory(scheme=scheme, value=200_000_000)
    f.DisbursementFactory(contract=contract, amount=140_000_000)
    page = login(officer).get(reverse("schemes:scheme_detail", args=[scheme.pk]))
    assert "200.000.000 đ" in page.text
    assert "140.000.000 đ" in page.text
