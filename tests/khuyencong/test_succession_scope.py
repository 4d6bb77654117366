"""Scope follows succession: a unit holds the records of the units that passed into it (a commune
its former communes', the merged province the former province's), through chains, with no query
more; a former unit's user keeps his own, and a neighbour sees none of it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.models import Facility
from khuyencong.models import AdministrativeUnit
from tests import factories as f

pytestmark = pytest.mark.django_db

ENDED = datetime.date(2025, 6, 30)
BEGUN = datetime.date(2025, 7, 1)


@pytest.fixture
def reform():
    """A former province (two districts, three communes) merged into a new one whose commune
    `merged` took over two of them; `older` passed into `first` before that."""
    old = f.ProvinceFactory(name="Tỉnh Cũ", valid_to=ENDED)
    district = f.DistrictFactory(parent=old, valid_to=ENDED)
    other_district = f.DistrictFactory(parent=old, valid_to=ENDED)
    first = f.CommuneFactory(name="Xã Một", parent=district, valid_to=ENDED)
    second = f.CommuneFactory(name="Xã Hai", parent=other_district, valid_to=ENDED)
    third = f.CommuneFactory(name="Xã Ba", parent=other_district, valid_to=ENDED)
    older = f.CommuneFactory(name="Xã Xưa", parent=district, valid_to=datetime.date(2019, 12, 31))
    new = f.ProvinceFactory(name="Tỉnh Mới", valid_from=BEGUN)
    merged = f.CommuneFactory(name="Xã Hợp Nhất", parent=new, valid_from=BEGUN)
    neighbour = f.CommuneFactory(name="Xã Láng Giềng", parent=new, valid_from=BEGUN)
    # As the demo and the bench write them: update(), which no save() sees.
    AdministrativeUnit.objects.filter(pk__in=[first.pk, second.pk]).update(successor=merged)
    AdministrativeUnit.objects.filter(pk=third.pk).update(successor=neighbour)
    AdministrativeUnit.objects.filter(pk=older.pk).update(successor=first)
    AdministrativeUnit.objects.filter(pk=old.pk).update(successor=new)
    units = {u.name: u for u in AdministrativeUnit.objects.all()}
    facilities = {
        name: f.FacilityFactory(name=f"Cơ sở {name}", unit=units[name])
        for name in ["Xã Một", "Xã Hai", "Xã Ba", "Xã Xưa", "Xã Hợp Nhất", "Xã Láng Giềng"]
    }
    return units, facilities


def user_of(unit, role="district"):
    return f.UserFactory(unit=unit, role=role)


def listed(login, user):
    page = login(user).get(reverse("beneficiaries:facility_list"))
    assert page.status_code == 200
    names = Facility.objects.values_list("name", flat=True)
    return {name for name in names if name in page.text}


def test_reach_holds_the_predecessors_paths_none_under_another(reform):
    units, _ = reform
    merged, new, old = units["Xã Hợp Nhất"], units["Tỉnh Mới"], units["Tỉnh Cũ"]
    assert merged.reach == [
        merged.path,
        *sorted([units["Xã Một"].path, units["Xã Hai"].path, units["Xã Xưa"].path]),
    ]
    # The communes of the former province lie under it: one prefix for all of them.
    assert new.reach == [new.path, old.path]
    assert units["Xã Láng Giềng"].reach == [units["Xã Láng Giềng"].path, units["Xã Ba"].path]
    assert old.reach == [old.path]


def test_a_moved_successor_is_followed(reform):
    units, _ = reform
    AdministrativeUnit.objects.filter(pk=units["Xã Hai"].pk).update(
        successor=units["Xã Láng Giềng"]
    )
    merged = AdministrativeUnit.objects.get(name="Xã Hợp Nhất")
    assert units["Xã Hai"].path not in merged.reach


def test_the_merged_commune_sees_its_former_communes_facilities(login, reform):
    units, _ = reform
    assert listed(login, user_of(units["Xã Hợp Nhất"])) == {
        "Cơ sở Xã Hợp Nhất",
        "Cơ sở Xã Một",
        "Cơ sở Xã Hai",
        "Cơ sở Xã Xưa",
    }


def test_a_neighbour_sees_only_his_own_and_his_predecessors(login, reform):
    units, facilities = reform
    user = user_of(units["Xã Láng Giềng"])
    assert listed(login, user) == {"Cơ sở Xã Láng Giềng", "Cơ sở Xã Ba"}
    url = reverse("beneficiaries:facility_detail", args=[facilities["Xã Một"].pk])
    assert login(user).get(url).status_code == 404


def test_the_former_units_user_keeps_his_own_not_his_successors(login, reform):
    units, _ = reform
    assert listed(login, user_of(units["Xã Một"])) == {"Cơ sở Xã Một", "Cơ sở Xã Xưa"}


def test_the_merged_province_sees_the_former_one(login, reform):
    units, facilities = reform
    officer = user_of(units["Tỉnh Mới"], role="officer")
    assert listed(login, officer) == {f"Cơ sở {name}" for name in facilities}


def test_a_scheme_of_a_former_commune_is_the_merged_communes(login, reform):
    units, _ = reform
    plan = f.PlanFactory(unit=units["Tỉnh Cũ"], year=2022)
    scheme = f.SchemeFactory(plan=plan, unit=units["Xã Một"], title="Đề án chè Xã Một")
    merged_user = user_of(units["Xã Hợp Nhất"])
    url = reverse("schemes:scheme_detail", args=[scheme.pk])
    assert login(merged_user).get(url).status_code == 200
    assert login(user_of(units["Xã Láng Giềng"])).get(url).status_code == 404
    # The former province's plan funds it, so the merged commune reads that plan too.
    plan_url = reverse("plans:plan_detail", args=[plan.pk])
    assert login(merged_user).get(plan_url).status_code == 200


def queries_of_the_list(client):
    client.get(reverse("beneficiaries:facility_list"))  # the session and caches warm
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("beneficiaries:facility_list"))
    return len(queries.captured_queries)


def test_predecessors_cost_no_query_more(login, reform):
    units, _ = reform
    plain = queries_of_the_list(login(user_of(units["Xã Một"])))
    merged = queries_of_the_list(login(user_of(units["Xã Hợp Nhất"])))
    assert merged == plain
