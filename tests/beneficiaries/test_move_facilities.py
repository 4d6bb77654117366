"""Facilities are today's: the command and the admin action move the facilities of ended units
to their successors, each move in the facility's history; what cannot be decided (a unit that
split, or ended without successor) is listed, not guessed; the past records keep their units."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from beneficiaries.models import SupportRequest
from beneficiaries.services import facility_move
from khuyencong.models import User
from khuyencong.staff import SUCCESSION_REASON
from schemes.models import SchemeBeneficiary
from tests import factories as f
from tests.reform import reformed_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def reform(db):
    return reformed_province()


@pytest.fixture
def admin(reform):
    return f.UserFactory(
        username="admin", role=User.Role.ADMIN, unit=None, is_staff=True, is_superuser=True
    )


@pytest.fixture
def facilities(reform):
    return {
        "merged": f.FacilityFactory(name="HTX chè Việt Quang", unit=reform.old_commune),
        "split": f.FacilityFactory(name="Cơ sở mây tre Tân Thành", unit=reform.split_commune),
        "today": f.FacilityFactory(name="HTX miến Bắc Quang", unit=reform.new_commune),
    }


def move(*args):
    out = io.StringIO()
    call_command("move_facilities_to_successors", *args, stdout=out)
    return out.getvalue()


def test_the_command_moves_facilities_to_successors_in_their_history(reform, admin, facilities):
    output = move()
    merged = facilities["merged"]
    merged.refresh_from_db()
    assert merged.unit == reform.new_commune
    last = merged.history.latest()
    assert last.history_change_reason == SUCCESSION_REASON
    assert last.history_user == admin
    assert merged.history.earliest().unit == reform.old_commune
    assert "Đã chuyển: HTX chè Việt Quang" in output
    assert "Đã chuyển 1 cơ sở; 1 cơ sở chưa xác định" in output


def test_what_it_cannot_decide_is_listed_and_left(reform, admin, facilities):
    output = move()
    facilities["split"].refresh_from_db()
    assert facilities["split"].unit == reform.split_commune
    assert "Chưa chuyển: Cơ sở mây tre Tân Thành" in output
    assert "không có đơn vị kế thừa" in output


def test_running_it_again_moves_nothing_more(reform, admin, facilities):
    move()
    versions = facilities["merged"].history.count()
    output = move()
    assert "Đã chuyển 0 cơ sở; 1 cơ sở chưa xác định" in output
    assert facilities["merged"].history.count() == versions


def test_a_mapping_places_the_facilities_of_a_split_unit(reform, admin, facilities, tmp_path):
    other = f.FacilityFactory(name="HTX Việt Vinh", unit=reform.old_commune_2)
    mapping = tmp_path / "chuyen.csv"
    mapping.write_text(
        f"co_so,ma_don_vi\n{facilities['split'].tax_code},T0006\n{other.pk},T0006\n",
        encoding="utf-8",
    )
    output = move("--mapping", str(mapping), "--split", "01144")
    facilities["split"].refresh_from_db()
    other.refresh_from_db()
    assert facilities["split"].unit == reform.other_new_commune
    assert other.unit == reform.other_new_commune  # the mapping wins over the successor link
    assert "Đã chuyển 3 cơ sở; 0 cơ sở chưa xác định" in output


def test_a_unit_listed_as_split_is_not_guessed(reform, admin, facilities):
    output = move("--split", "01141")
    facilities["merged"].refresh_from_db()
    assert facilities["merged"].unit == reform.old_commune
    assert "đã chia tách" in output


def test_a_mapping_with_unknown_rows_moves_nothing(reform, admin, facilities, tmp_path):
    mapping = tmp_path / "chuyen.csv"
    mapping.write_text(f"999999,T0006\n{facilities['split'].pk},01177\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"dòng 1: không có cơ sở.*\n.*dòng 2: không có đơn vị"):
        move("--mapping", str(mapping))
    facilities["merged"].refresh_from_db()
    assert facilities["merged"].unit == reform.old_commune


def test_a_dry_run_only_lists(reform, admin, facilities):
    output = move("--dry-run")
    facilities["merged"].refresh_from_db()
    assert facilities["merged"].unit == reform.old_commune
    assert "Sẽ chuyển: HTX chè Việt Quang" in output


def test_past_records_keep_the_units_of_their_day(reform, admin, facilities):
    merged = facilities["merged"]
    scheme = f.SchemeFactory(plan__unit=reform.old_province, unit=reform.old_district)
    beneficiary = f.SchemeBeneficiaryFactory(scheme=scheme, facility=merged)
    request = f.SupportRequestFactory(facility=merged, year=2022, dossier=False)
    move()
    beneficiary.refresh_from_db()
    request.refresh_from_db()
    scheme.refresh_from_db()
    assert scheme.unit == reform.old_district
    assert beneficiary.scope_unit == reform.old_commune
    assert request.scope_unit == reform.old_commune
    beneficiary.save()  # a later save of the row keeps its unit too
    request.save()
    assert SchemeBeneficiary.objects.get(pk=beneficiary.pk).scope_unit == reform.old_commune
    assert type(request).objects.get(pk=request.pk).scope_unit == reform.old_commune
    # A new request of the moved facility is today's.
    new = f.SupportRequestFactory(facility=merged, year=2027, dossier=False)
    new.refresh_from_db()
    assert new.scope_unit == reform.new_commune


def test_the_admin_action_moves_the_facilities_of_the_units_chosen(
    client, reform, admin, facilities
):
    client.force_login(admin)
    response = client.post(
        reverse("admin:khuyencong_administrativeunit_changelist"),
        {"action": "move_facilities_to_successors", "_selected_action": [reform.old_district.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã chuyển 1 cơ sở sang đơn vị kế thừa" in page
    assert "Chưa chuyển 1 cơ sở" in page and "Cơ sở mây tre Tân Thành" in page
    facilities["merged"].refresh_from_db()
    assert facilities["merged"].unit == reform.new_commune
    assert facilities["merged"].history.latest().history_change_reason == SUCCESSION_REASON


def test_a_later_correction_leaves_the_past_where_it_was(reform, admin, facilities):
    """Moved to today's commune, then corrected to another: its request of 2022, kept at the
    ended commune, stays there; this year's request follows the correction."""
    merged = facilities["merged"]
    past = f.SupportRequestFactory(facility=merged, year=2022)
    move()
    merged.refresh_from_db()
    current = f.SupportRequestFactory(facility=merged, year=2027)
    facility_move(facility=merged, unit=reform.other_new_commune, user=admin, reason="Sửa địa bàn")
    units = dict(SupportRequest.objects.values_list("pk", "scope_unit"))
    assert units[past.pk] == reform.old_commune.pk
    assert units[current.pk] == reform.other_new_commune.pk
