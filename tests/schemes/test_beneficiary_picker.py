"""The scheme's beneficiary picker at a province's scale: a search box whose words ask the
server for the matching facilities of the scheme's area, in the user's scope."""

import pytest
from django.urls import reverse

from schemes.forms import BeneficiaryForm
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(province):
    plan = f.PlanFactory(unit=province.province)
    return f.SchemeFactory(plan=plan, unit=province.district)


@pytest.fixture
def facilities(province, scheme):
    tea = f.FacilityFactory(unit=province.commune, name="Hợp tác xã chè Shan tuyết Tân Quang")
    honey = f.FacilityFactory(unit=province.commune, name="Tổ hợp tác mật ong Tân Quang")
    elsewhere = f.FacilityFactory(unit=province.other_commune, name="Hợp tác xã chè Lũng Cú")
    taken = f.FacilityFactory(unit=province.commune, name="Hộ kinh doanh chè búp Tân Quang")
    f.SchemeBeneficiaryFactory(scheme=scheme, facility=taken)
    return tea, honey, elsewhere, taken


def options(scheme):
    return reverse("schemes:beneficiary_options", args=[scheme.pk])


def test_the_form_has_a_search_box_asking_the_server(officer, scheme, facilities):
    html = str(BeneficiaryForm(scheme=scheme, user=officer)["facility"])
    assert f'hx-get="{options(scheme)}"' in html and 'class="picker-search"' in html
    # Without JavaScript, the plain select of the scheme's candidates.
    assert facilities[0].name in html and facilities[2].name not in html


def test_the_search_finds_the_schemes_candidates_ignoring_accents(
    login, officer, scheme, facilities, django_assert_max_num_queries
):
    tea, honey, elsewhere, taken = facilities
    client = login(officer)
    with django_assert_max_num_queries(8):
        page = client.get(options(scheme), {"q": "CHE tan"}).content.decode()
    assert tea.name in page
    assert honey.name not in page  # not a word of the search
    assert elsewhere.name not in page  # outside the scheme's district
    assert taken.name not in page  # already a beneficiary
    assert "— Chọn cơ sở —" in page


def test_nothing_found_says_so(login, officer, scheme, facilities):
    page = login(officer).get(options(scheme), {"q": "gốm"}).content.decode()
    assert "Không tìm thấy cơ sở nào" in page


def test_a_scheme_out_of_scope_is_not_found(login, other_district_user, scheme, facilities):
    assert login(other_district_user).get(options(scheme), {"q": "chè"}).status_code == 404
