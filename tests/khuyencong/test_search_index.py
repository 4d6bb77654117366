"""The free-text searches of the facility, request and scheme lists are served by trigram
indexes, not by reading every row: EXPLAIN on PostgreSQL over 10× a province of bench data
(20,000 facilities, 50,000 requests, 5,000 schemes), as the list
page builds its query for an officer of that province. (At one province's size the
planner rightly prefers reading the table: a millisecond.)"""

import io

import pytest
from django.core.management import call_command
from django.http import QueryDict

from beneficiaries.filters import FacilityFilter, SupportRequestFilter
from beneficiaries.models import Facility, SupportRequest
from khuyencong.models import AdministrativeUnit, User
from sampledata.bench import delete_bench_data
from schemes.filters import SchemeFilter
from schemes.models import Scheme

pytestmark = [pytest.mark.slow, pytest.mark.django_db]  # ten bench provinces: seconds


@pytest.fixture(scope="module")
def ten_provinces(django_db_setup, django_db_blocker):
    """Written once for the module, outside the tests' transactions, and deleted after."""
    with django_db_blocker.unblock():
        call_command("generate_bench_data", scale=10, seed=1, stdout=io.StringIO())
        yield AdministrativeUnit.objects.get(code="B1")
        delete_bench_data()


@pytest.fixture
def officer(ten_provinces):
    return User(username="canbo", role=User.Role.OFFICER, unit=ten_provinces)


def test_facility_search_uses_the_trigram_index(officer):
    facilities = Facility.objects.visible_to(officer).order_by("name_key", "pk")
    plan = FacilityFilter(QueryDict("q=hung tan"), queryset=facilities, user=officer).qs.explain()
    assert "Bitmap Index Scan on facility_search_trgm" in plan, plan
    assert "Seq Scan on beneficiaries_facility" not in plan, plan


def test_scheme_search_uses_the_trigram_index(officer):
    schemes = Scheme.objects.visible_to(officer)
    plan = SchemeFilter(QueryDict("q=may say"), queryset=schemes).qs.explain()
    assert "Bitmap Index Scan on scheme_search_trgm" in plan, plan
    assert "Seq Scan on schemes_scheme " not in plan, plan  # its beneficiaries may be read


def test_request_search_finds_facilities_by_the_trigram_index(officer):
    requests = SupportRequest.objects.visible_to(officer).order_by("-year", "pk")
    plan = SupportRequestFilter(QueryDict("q=hung tan"), queryset=requests, user=officer)
    plan = plan.qs.explain()
    assert "Bitmap Index Scan on facility_search_trgm" in plan, plan
    assert "Seq Scan on beneficiaries_facility" not in plan, plan
