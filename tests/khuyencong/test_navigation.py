"""The menu marks the section a page belongs to, import pages included."""

import re

import pytest
from django.urls import reverse

from beneficiaries.models import ImportBatch

pytestmark = pytest.mark.django_db


def active_item(response):
    return re.findall(r'<a href="[^"]*" class="active"[^>]*>([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize(
    "kind, label",
    [("requests", "Đăng ký nhu cầu"), ("facilities", "Cơ sở CNNT")],
)
def test_an_import_preview_marks_the_list_it_feeds(login, district_user, kind, label):
    batch = ImportBatch.objects.create(kind=kind, user=district_user, original_name="a.xlsx")
    response = login(district_user).get(reverse("beneficiaries:import_preview", args=[batch.pk]))
    assert response.status_code == 200
    assert active_item(response) == [label]


def test_the_request_import_page_marks_requests(login, district_user):
    response = login(district_user).get(reverse("beneficiaries:request_import"))
    assert active_item(response) == ["Đăng ký nhu cầu"]
