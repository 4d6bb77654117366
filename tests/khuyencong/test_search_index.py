"""The facility list's free-text search is served by a trigram index, not by reading every
row: EXPLAIN on PostgreSQL over 10× a province of bench data (20,000 facilities), as the list
page builds its query for an officer of that province. (At one province's size the
planner rightly prefers reading the table: a millisecond.)"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from beneficiaries.filters import FacilityFilter
from beneficiaries.models import Facility
from khuyencong.models import AdministrativeUnit, User
from schemes.benchdata import delete_bench_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ten_provinces(django_db_setup, django_db_blocker):
    """Written once for the module, outside the tests' transactions, and deleted after."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("trigram indexes are PostgreSQL's")
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
