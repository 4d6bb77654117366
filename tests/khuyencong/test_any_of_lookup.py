"""`field__any_of=values`: one array parameter instead of an IN list, with the same rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.models import Facility
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_finds_the_rows_in_with_the_values_in_one_parameter(province):
    tea, bamboo, _other = (
        f.FacilityFactory(unit=province.commune, tax_code=code)
        for code in ("5100000001", "5100000002", "5100000003")
    )
    codes = ["5100000001", "5100000002", "0000000000"]
    with CaptureQueriesContext(connection) as queries:
        found = set(Facility.objects.filter(tax_code__any_of=codes))
    assert found == set(Facility.objects.filter(tax_code__in=codes)) == {tea, bamboo}
    assert "= ANY(" in queries[0]["sql"]
    assert set(Facility.objects.filter(pk__any_of=[tea.pk])) == {tea}
    assert not Facility.objects.filter(tax_code__any_of=[]).exists()
