"""Staff accounts move too: the admin moves a user whose unit has ended to the successor, kept
in the user's history; the unit field of the user admin offers today's units."""

import pytest
from django.urls import reverse

from khuyencong.models import User
from khuyencong.staff import SUCCESSION_REASON
from tests import factories as f
from tests.reform import reformed_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def reform(db):
    return reformed_province()


@pytest.fixture
def admin(client, reform):
    user = f.UserFactory(
        username="admin", role=User.Role.ADMIN, unit=None, is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return user


def test_the_admin_moves_users_of_ended_units_to_their_successors(client, reform, admin):
    merged = f.UserFactory(username="vietquang", unit=reform.old_commune)
    split = f.UserFactory(username="tanthanh", unit=reform.split_commune)
    current = f.UserFactory(username="bacquang", unit=reform.new_commune)
    versions = current.history.count()
    response = client.post(
        reverse("admin:khuyencong_user_changelist"),
        {"action": "move_to_successor", "_selected_action": [merged.pk, split.pk, current.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã chuyển 1 người dùng sang đơn vị kế thừa" in page
    assert "tanthanh (Xã Tân Thành (đến 30/06/2025))" in page
    for user in (merged, split, current):
        user.refresh_from_db()
    assert merged.unit == reform.new_commune
    assert split.unit == reform.split_commune
    assert current.unit == reform.new_commune
    last = merged.history.latest()
    assert (last.history_change_reason, last.history_user) == (SUCCESSION_REASON, admin)
    assert merged.history.earliest().unit == reform.old_commune
    assert current.history.count() == versions


def test_the_user_admin_offers_todays_units(client, reform, admin):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "khuyencong", "model_name": "user", "field_name": "unit", "term": "Bắc"},
    )
    names = {row["text"] for row in response.json()["results"]}
    assert names == {"Xã Bắc Quang"}


def test_a_users_ended_unit_still_shows_on_his_page(client, reform, admin):
    user = f.UserFactory(username="vietquang", unit=reform.old_commune)
    page = client.get(reverse("admin:khuyencong_user_change", args=[user.pk]))
    assert page.status_code == 200
    assert "Thị trấn Việt Quang" in page.content.decode()
