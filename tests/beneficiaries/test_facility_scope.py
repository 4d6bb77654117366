"""A district user sees his unit's facilities only: others' answer 404 and never appear."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilities(province):
    return {
        "own": f.FacilityFactory(name="HTX chè Tân Quang", unit=province.commune),
        "other": f.FacilityFactory(name="HTX thổ cẩm Lũng Cú", unit=province.other_commune),
    }


def test_district_user_lists_only_his_units_facilities(login, district_user, facilities):
    page = login(district_user).get(reverse("beneficiaries:facility_list"))
    assert page.status_code == 200
    assert "HTX chè Tân Quang" in page.text
    assert "HTX thổ cẩm Lũng Cú" not in page.text


def test_colleague_of_the_same_unit_sees_the_facility(login, colleague, facilities):
    url = reverse("beneficiaries:facility_detail", args=[facilities["own"].pk])
    assert login(colleague).get(url).status_code == 200


def test_user_of_another_unit_gets_404(login, other_district_user, facilities):
    url = reverse("beneficiaries:facility_detail", args=[facilities["own"].pk])
    assert login(other_district_user).get(url).status_code == 404


def test_provincial_officer_sees_every_district(login, officer, facilities):
    page = login(officer).get(reverse("beneficiaries:facility_list"))
    assert "HTX chè Tân Quang" in page.text and "HTX thổ cẩm Lũng Cú" in page.text


def test_anonymous_visitor_is_sent_to_login(client, facilities):
    url = reverse("beneficiaries:facility_detail", args=[facilities["own"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_search_ignores_case_and_diacritics(login, officer, facilities):
    page = login(officer).get(reverse("beneficiaries:facility_list"), {"q": "tho cam LUNG cu"})
    assert "HTX thổ cẩm Lũng Cú" in page.text
    assert "HTX chè Tân Quang" not in page.text


def test_filtering_by_a_district_keeps_its_communes(login, officer, province, facilities):
    page = login(officer).get(
        reverse("beneficiaries:facility_list"), {"unit": province.other_district.pk}
    )
    assert "HTX thổ cẩm Lũng Cú" in page.text
    assert "HTX chè Tân Quang" not in page.text


def test_district_user_cannot_filter_into_another_district(
    login, district_user, province, facilities
):
    page = login(district_user).get(
        reverse("beneficiaries:facility_list"), {"unit": province.other_district.pk}
    )
    assert "HTX thổ cẩm Lũng Cú" not in page.text


def test_request_list_is_scoped_too(login, district_user, facilities):
    f.SupportRequestFactory(facility=facilities["own"], content="Máy sao chè Tân Quang")
    f.SupportRequestFactory(facility=facilities["other"], content="Khung dệt Lũng Cú")
    page = login(district_user).get(reverse("beneficiaries:request_list"))
    assert "HTX chè Tân Quang" in page.text
    assert "HTX thổ cẩm Lũng Cú" not in page.text


def test_facility_list_query_count_does_not_grow_with_rows(
    login, officer, province, django_assert_max_num_queries
):
    f.FacilityFactory.create_batch(30, unit=province.commune)
    client = login(officer)
    with django_assert_max_num_queries(8):
        client.get(reverse("beneficiaries:facility_list"))


def test_requests_follow_their_facility_when_it_moves(
    login, province, district_user, other_district_user, facilities
):
    """A request's scope is its facility's unit, kept by the database however either is
    written: a new request, a request moved to another facility, a facility that moves (by its
    form, the admin or an import's bulk update), and a save that sends a stale value."""
    own, other = facilities["own"], facilities["other"]
    req = f.SupportRequestFactory(facility=own)
    url = reverse("beneficiaries:request_detail", args=[req.pk])

    def seen_by(user):
        return login(user).get(url).status_code == 200

    assert seen_by(district_user) and not seen_by(other_district_user)
    own.unit = province.other_commune
    own.save()
    assert seen_by(other_district_user) and not seen_by(district_user)
    req.save()  # holds the scope it was created with, None: the database keeps the right one
    assert seen_by(other_district_user) and not seen_by(district_user)
    type(own).objects.filter(pk=own.pk).update(unit=province.commune)
    assert seen_by(district_user) and not seen_by(other_district_user)
    req.facility = other
    req.save()
    assert seen_by(other_district_user) and not seen_by(district_user)
    req.refresh_from_db()
    assert req.scope_unit == province.other_commune
