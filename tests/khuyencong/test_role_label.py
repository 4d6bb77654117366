"""The header names a user's role by his unit: since 1 July 2025 the staff with the "district"
role work in communes and wards, and are not "cấp huyện"."""

import pytest
from django.urls import reverse

from khuyencong.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


def header(client, user):
    client.force_login(user)
    return client.get(reverse("beneficiaries:facility_list")).content.decode()


def test_a_communes_staff_is_shown_as_commune_staff(client):
    commune = f.CommuneFactory(name="Xã Mèo Vạc")
    user = f.UserFactory(role=User.Role.DISTRICT, unit=commune)
    page = header(client, user)
    assert "Cán bộ cấp xã · Xã Mèo Vạc" in page
    assert "Cán bộ cấp huyện" not in page


def test_a_districts_staff_stays_district_staff(client):
    district = f.DistrictFactory(name="Huyện Bắc Quang")
    user = f.UserFactory(role=User.Role.DISTRICT, unit=district)
    assert "Cán bộ cấp huyện · Huyện Bắc Quang" in header(client, user)
