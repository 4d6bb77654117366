"""Unit pickers across the reform of 1 July 2025: a form offers the units valid on its record's
own date (a scheme: its plan's year; a facility: today), and keeps the unit a record already
has when that unit has ended since, saying so ("… (đến 30/06/2025)")."""

import datetime
import re

import pytest
from django.urls import reverse

from beneficiaries.forms import FacilityForm
from khuyencong.models import AdministrativeUnit, User
from schemes.forms import SchemeForm
from tests import factories as f
from tests.reform import reformed_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def reform(db):
    return reformed_province()


@pytest.fixture
def officer_today(reform):
    """The officer of today's province (Tuyên Quang)."""
    return f.UserFactory(username="officer", role=User.Role.OFFICER, unit=reform.new_province)


@pytest.fixture
def everyone(reform):
    """An administrator: sees every unit, the former Hà Giang's and today's."""
    return f.UserFactory(username="admin", role=User.Role.ADMIN, unit=None, is_superuser=True)


def offered(form):
    return set(form.fields["unit"].queryset)


def labels(form):
    return {label for _value, label in form.fields["unit"].choices}


def test_the_scheme_form_of_a_2026_plan_offers_todays_communes(login, reform, officer_today):
    plan = f.PlanFactory(unit=reform.new_province, year=2026)
    response = login(officer_today).get(reverse("schemes:scheme_create"), {"plan": plan.pk})
    units = offered(response.context["form"])
    assert units == {reform.new_province, reform.new_commune, reform.other_new_commune}
    assert "Xã Bắc Quang" in response.content.decode()


def test_the_scheme_form_of_a_2026_plan_refuses_an_ended_unit(reform, everyone):
    plan = f.PlanFactory(unit=reform.new_province, year=2026)
    form = SchemeForm({"plan": plan.pk}, instance=None, user=everyone)
    units = offered(form)
    assert reform.new_commune in units
    assert not units & {reform.old_province, reform.old_district, reform.old_commune}
    form = SchemeForm({"plan": plan.pk, "unit": reform.old_district.pk}, user=everyone)
    assert "unit" in form.errors


def test_the_scheme_form_of_a_2025_plan_offers_both_sides_labelled(reform, everyone):
    plan = f.PlanFactory(unit=reform.new_province, year=2025, decision_date=None, status="draft")
    form = SchemeForm(user=everyone, initial={"plan": plan.pk})
    assert offered(form) == {
        reform.old_province,
        reform.old_district,
        reform.new_province,
        reform.new_commune,
        reform.other_new_commune,
    }
    assert "Huyện Bắc Quang (đến 30/06/2025)" in labels(form)
    assert "Xã Bắc Quang" in labels(form)


def test_editing_a_2022_scheme_keeps_its_ended_unit_labelled(login, reform, officer_today):
    scheme = f.SchemeFactory(plan__unit=reform.old_province, unit=reform.old_district)
    form = SchemeForm(instance=scheme, user=officer_today)
    assert reform.old_district in offered(form)
    assert "Huyện Bắc Quang (đến 30/06/2025)" in labels(form)

    old_officer = f.UserFactory(username="hg", role=User.Role.OFFICER, unit=reform.old_province)
    page = login(old_officer).get(reverse("schemes:scheme_edit", args=[scheme.pk]))
    assert "Huyện Bắc Quang (đến 30/06/2025)" in page.content.decode()


def test_the_facility_form_offers_todays_communes(login, reform, everyone):
    response = login(everyone).get(reverse("beneficiaries:facility_create"))
    assert offered(response.context["form"]) == {reform.new_commune, reform.other_new_commune}


def test_editing_a_facility_of_an_ended_commune_keeps_it_labelled(reform, everyone):
    facility = f.FacilityFactory(unit=reform.old_commune)
    form = FacilityForm(instance=facility, user=everyone)
    assert offered(form) == {reform.old_commune, reform.new_commune, reform.other_new_commune}
    assert "Thị trấn Việt Quang – Huyện Bắc Quang (đến 30/06/2025)" in labels(form)


def test_a_unit_is_valid_during_a_period_it_overlaps(reform):
    year_2025 = AdministrativeUnit.objects.valid_during(
        datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    )
    assert {reform.old_commune, reform.new_commune} <= set(year_2025)
    today = AdministrativeUnit.objects.valid_on(datetime.date(2026, 12, 3))
    assert reform.old_commune not in today
    assert AdministrativeUnit.objects.valid_on(datetime.date(2025, 6, 30)).filter(
        pk=reform.old_commune.pk
    )


def unit_filter(page):
    """The facility list's unit filter: {heading: [option labels]}, in order."""
    select = re.search(r'<select[^>]* name="unit".*?</select>', page, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    return {
        heading: re.findall(r"<option[^>]*>([^<]*)</option>", group) for heading, group in groups
    }


def test_the_facility_list_filters_by_todays_communes_too(login, reform, officer_today):
    mine = f.FacilityFactory(unit=reform.new_commune, name="Hợp tác xã chè Bắc Quang")
    f.FacilityFactory(unit=reform.other_new_commune, name="Hợp tác xã cam Tân Quang")
    client = login(officer_today)
    groups = unit_filter(client.get(reverse("beneficiaries:facility_list")).content.decode())
    assert list(groups) == ["Cấp tỉnh", "Cấp huyện (trước 01/07/2025)", "Cấp xã, phường"]
    assert "Tỉnh Tuyên Quang" in groups["Cấp tỉnh"]
    assert groups["Cấp huyện (trước 01/07/2025)"] == ["Huyện Bắc Quang (đến 30/06/2025)"]
    # Today's communes; those that ended with the districts are reached through their district.
    assert groups["Cấp xã, phường"] == ["Xã Bắc Quang", "Xã Tân Quang"]
    listed = client.get(reverse("beneficiaries:facility_list"), {"unit": reform.new_commune.pk})
    assert mine.name in listed.content.decode()
    assert "Hợp tác xã cam Tân Quang" not in listed.content.decode()


def test_a_commune_user_filters_only_within_his_commune(login, reform):
    user = f.UserFactory(role=User.Role.DISTRICT, unit=reform.new_commune)
    page = login(user).get(reverse("beneficiaries:facility_list")).content.decode()
    offered = [label for labels in unit_filter(page).values() for label in labels]
    assert "Xã Tân Quang" not in offered and "Tỉnh Tuyên Quang" not in offered
    assert "Xã Bắc Quang" in offered
