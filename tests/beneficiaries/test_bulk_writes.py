"""NewRows, the COPY an import writes its new rows with while it checks the sheet: rows stored
as save() would store them; a query meanwhile fails at once instead of waiting for ever; a row
the database refuses fails the whole write."""

import pytest
from django.db import IntegrityError, transaction

from beneficiaries.bulkwrites import NewRows
from beneficiaries.models import Facility
from tests import factories as f

pytestmark = pytest.mark.django_db


def new_facility(province, sector, **fields):
    values = {
        "name": "Hợp tác xã chè Shan tuyết Tân Quang",
        "kind": Facility.Kind.COOPERATIVE,
        "sector": sector,
        "unit": province.commune,
        "address": "Thôn Tân Thành",
        "owner_name": "Lý Văn Páo",
        "tax_code": "5100000001",
    }
    return Facility(**{**values, **fields})


def test_rows_are_stored_as_save_would_store_them(province):
    sector = f.SectorFactory()
    first, second = new_facility(province, sector), new_facility(province, sector, name="Hai")
    with NewRows(Facility, 2) as rows:
        rows.add(first)
        rows.add(second)
    stored = Facility.objects.get(pk=first.pk)
    assert second.pk != first.pk and Facility.objects.filter(pk=second.pk).exists()
    assert stored.name_key == "hop tac xa che shan tuyet tan quang"
    assert "ly van pao" in stored.search_text
    assert stored.created_at == stored.updated_at == first.created_at is not None
    assert not first._state.adding


def test_a_query_while_rows_are_being_copied_fails_at_once(province):
    facility = new_facility(province, f.SectorFactory())
    with NewRows(Facility, 1) as rows:
        rows.add(facility)
        with pytest.raises(RuntimeError, match="while new rows are being copied"):
            Facility.objects.count()
    assert Facility.objects.count() == 1  # the copy itself went on


def test_a_row_the_database_refuses_fails_the_whole_write(province):
    sector = f.SectorFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), NewRows(Facility, 2) as rows:
        rows.add(new_facility(province, sector))
        rows.add(new_facility(province, sector, name="Hai", tax_code="12"))  # not a tax code
    assert not Facility.objects.exists()
