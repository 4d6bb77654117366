"""Every role against every object URL of the portal: who gets the page, who is sent to log in,
who is refused (403) and for whom the object does not exist (404)."""

import pytest
from django.urls import reverse

from beneficiaries.models import ImportBatch
from tests import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "other_district", "officer", "manager", "admin"]


@pytest.fixture
def world(province, district_user, other_district_user, officer, manager, admin_user):
    plan = f.PlanFactory(unit=province.province)
    facility = f.FacilityFactory(unit=province.commune)
    request = f.SupportRequestFactory(facility=facility)
    document = f.DocumentFactory(facility=facility)
    batch = ImportBatch.objects.create(
        kind="facilities", user=district_user, file="imports/x.xlsx", original_name="x.xlsx"
    )
    scheme = f.SchemeFactory(plan=plan, unit=province.district)
    report = f.QuarterlyReportFactory(unit=province.province, status="failed")
    users = {
        "anonymous": None,
        "owner": district_user,
        "other_district": other_district_user,
        "officer": officer,
        "manager": manager,
        "admin": admin_user,
    }
    objects = {
        "facility": facility,
        "request": request,
        "document": document,
        "batch": batch,
        "scheme": scheme,
        "report": report,
    }
    return users, objects


# url name, args key, expected status per role (in ROLES order)
MATRIX = [
    ("dashboard", None, [302, 200, 200, 200, 200, 200]),
    ("beneficiaries:facility_list", None, [302, 200, 200, 200, 200, 200]),
    ("beneficiaries:facility_detail", "facility", [302, 200, 404, 200, 200, 200]),
    ("beneficiaries:facility_create", None, [302, 200, 200, 200, 403, 200]),
    ("beneficiaries:facility_edit", "facility", [302, 200, 404, 200, 403, 200]),
    ("beneficiaries:facility_export", None, [302, 200, 200, 200, 200, 200]),
    ("beneficiaries:facility_template", None, [302, 200, 200, 200, 403, 200]),
    ("beneficiaries:facility_import", None, [302, 200, 200, 200, 403, 200]),
    ("beneficiaries:facility_document_upload", "facility", [302, 405, 405, 405, 405, 405]),
    ("beneficiaries:request_list", None, [302, 200, 200, 200, 200, 200]),
    ("beneficiaries:request_review_queue", None, [302, 403, 403, 200, 200, 200]),
    ("beneficiaries:request_create", None, [302, 200, 200, 403, 403, 200]),
    ("beneficiaries:request_template", None, [302, 200, 200, 403, 403, 200]),
    ("beneficiaries:request_import", None, [302, 200, 200, 403, 403, 200]),
    ("beneficiaries:request_detail", "request", [302, 200, 404, 200, 200, 200]),
    ("beneficiaries:request_edit", "request", [302, 200, 404, 403, 403, 200]),
    ("beneficiaries:request_document_upload", "request", [302, 405, 405, 405, 405, 405]),
    ("beneficiaries:document_download", "document", [302, 200, 404, 200, 200, 200]),
    ("beneficiaries:document_delete", "document", [302, 405, 405, 405, 405, 405]),
    ("beneficiaries:import_preview", "batch", [302, 200, 404, 404, 404, 404]),
    ("schemes:scheme_list", None, [302, 200, 200, 200, 200, 200]),
    ("schemes:scheme_detail", "scheme", [302, 200, 404, 200, 200, 200]),
    ("reports:report_list", None, [302, 403, 403, 200, 200, 200]),
    ("reports:report_status", "report", [302, 403, 403, 200, 200, 200]),
    ("reports:report_download", "report", [302, 403, 403, 404, 404, 404]),  # not ready yet
    ("admin:index", None, [302, 302, 302, 302, 302, 200]),
]


@pytest.mark.parametrize("name, key, expected", MATRIX, ids=[m[0] for m in MATRIX])
def test_each_role_gets_the_expected_answer(client, world, name, key, expected):
    users, objects = world
    url = reverse(name, args=[objects[key].pk] if key else [])
    answers = []
    for role in ROLES:
        client.logout()
        if users[role]:
            client.force_login(users[role])
        answers.append(client.get(url).status_code)
    assert answers == expected


def test_posting_actions_needs_the_right_role(client, world):
    users, objects = world
    url = reverse("schemes:scheme_transition", args=[objects["scheme"].pk, "approve"])
    assert client.post(url).status_code == 302  # anonymous: to the login page
    client.force_login(users["other_district"])
    assert client.post(url).status_code == 404
    client.force_login(users["owner"])
    client.post(url, {"decision_number": "1/QĐ", "decision_date": "01/03/2022"})
    objects["scheme"].refresh_from_db()
    assert objects["scheme"].status == "proposed"  # district staff may not approve
    client.force_login(users["owner"])
    assert client.post(reverse("reports:report_request"), {"year": 2022}).status_code == 403
