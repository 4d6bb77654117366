"""A list or detail page runs the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.services import request_transition
from tests import factories as f

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_rows(province, district_user, count):
    for _ in range(count):
        facility = f.FacilityFactory(unit=province.commune)
        req = f.SupportRequestFactory(facility=facility)
        request_transition(request_id=req.pk, name="submit", user=district_user)
    return facility, req


@pytest.mark.parametrize(
    "url, user",
    [
        ("/facilities/?o=-workers", "district_user"),
        ("/facilities/?q=hop+tac&open_requests=1", "district_user"),
        ("/requests/?o=cost", "district_user"),
        ("/requests/review/", "officer"),
    ],
)
def test_list_pages_do_not_query_per_row(login, province, district_user, officer, url, user):
    client = login(locals()[user])
    add_rows(province, district_user, 2)
    few = queries(client, url)
    add_rows(province, district_user, 20)
    assert queries(client, url) == few


def test_detail_pages_do_not_query_per_document_or_request(login, province, district_user):
    client = login(district_user)
    facility, req = add_rows(province, district_user, 1)
    facility_url = reverse("beneficiaries:facility_detail", args=[facility.pk])
    request_url = reverse("beneficiaries:request_detail", args=[req.pk])
    few = queries(client, facility_url), queries(client, request_url)
    for year in range(2010, 2018):
        extra = f.SupportRequestFactory(facility=facility, year=year)
        f.DocumentFactory(facility=facility)
        f.DocumentFactory(facility=facility, request=req)
        extra.save()
    assert (queries(client, facility_url), queries(client, request_url)) == few
