"""Every role against every object URL of the portal: who gets the page, who is sent to log in,
who is refused (403) and for whom the object does not exist (404)."""

import pytest
from django.urls import reverse

from beneficiaries.models import ImportBatch
from schemes.models import SupportRule
from schemes.reference import ensure_support_rules
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
    scheme_document = scheme.documents.create(
        title="Quyết định", file=document.file.name, content_type="application/pdf", size=1
    )
    acceptance = f.AcceptanceFactory(scheme=scheme, minutes=document.file.name)
    item = f.SchemeItemFactory(scheme=scheme)
    beneficiary = f.SchemeBeneficiaryFactory(scheme=scheme, facility=facility, support_amount=1)
    report = f.QuarterlyReportFactory(unit=province.province, status="failed")
    notification = f.NotificationFactory(user=district_user)
    ensure_support_rules()
    rule = SupportRule.objects.first()
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
        "plan": plan,
        "scheme_document": scheme_document,
        "acceptance": acceptance,
        "item": item,
        "beneficiary": beneficiary,
        "notification": notification,
        "rule": rule,
    }
    return users, objects


# The scheme page's entries, answering POST only: (url name, object key).
ENTRIES = [
    ("item_add", "scheme"),
    ("beneficiary_add", "scheme"),
    ("contract_add", "scheme"),
    ("disbursement_add", "scheme"),
    ("inspection_add", "scheme"),
    ("acceptance_add", "scheme"),
    ("document_add", "scheme"),
    ("item_delete", "item"),
    ("beneficiary_update", "beneficiary"),
    ("beneficiary_delete", "beneficiary"),
    ("beneficiary_declare", "beneficiary"),
    ("document_delete", "scheme_document"),
]

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
    ("schemes:scheme_create", None, [302, 403, 403, 200, 403, 200]),
    ("schemes:scheme_edit", "scheme", [302, 403, 404, 200, 403, 200]),
    ("schemes:document_download", "scheme_document", [302, 200, 404, 200, 200, 200]),
    ("schemes:minutes_download", "acceptance", [302, 200, 404, 200, 200, 200]),
    *((f"schemes:{name}", key, [302, 405, 405, 405, 405, 405]) for name, key in ENTRIES),
    ("plans:plan_list", None, [302, 200, 200, 200, 200, 200]),
    ("plans:plan_detail", "plan", [302, 200, 200, 200, 200, 200]),
    ("plans:plan_create", None, [302, 403, 403, 200, 403, 200]),
    ("plans:plan_edit", "plan", [302, 403, 403, 302, 403, 302]),  # approved: back to the plan
    ("plans:plan_builder", "plan", [302, 403, 403, 200, 403, 200]),
    ("plans:plan_weights", "plan", [302, 405, 405, 405, 405, 405]),
    ("plans:plan_export_xlsx", "plan", [302, 403, 403, 200, 200, 200]),
    ("plans:plan_export_pdf", "plan", [302, 403, 403, 200, 200, 200]),
    ("reports:report_list", None, [302, 403, 403, 200, 200, 200]),
    ("reports:report_status", "report", [302, 403, 403, 200, 200, 200]),
    ("reports:report_download", "report", [302, 403, 403, 404, 404, 404]),  # not ready yet
    ("reports:report_download_xlsx", "report", [302, 403, 403, 404, 404, 404]),
    ("schemes:rule_list", None, [302, 200, 200, 200, 200, 200]),  # the law is public
    ("schemes:rule_create", None, [302, 403, 403, 403, 403, 200]),  # by permission only
    ("schemes:rule_edit", "rule", [302, 403, 403, 403, 403, 200]),
    ("duties:task_list", None, [302, 200, 200, 200, 200, 200]),
    ("duties:nav_badge", None, [200, 200, 200, 200, 200, 200]),  # empty for a visitor
    ("duties:notification_open", "notification", [302, 302, 404, 404, 404, 404]),  # to its URL
    ("duties:notification_read", "notification", [302, 405, 405, 405, 405, 405]),
    ("duties:notification_read_all", None, [302, 405, 405, 405, 405, 405]),
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


@pytest.mark.parametrize("name, key", ENTRIES, ids=[e[0] for e in ENTRIES])
def test_only_officers_in_scope_post_on_a_scheme(client, world, name, key):
    users, objects = world
    url = reverse(f"schemes:{name}", args=[objects[key].pk])
    before = _counts()
    answers = []
    for role in ("anonymous", "owner", "other_district", "manager"):
        client.logout()
        if users[role]:
            client.force_login(users[role])
        answers.append(client.post(url, {"support_amount": "1"}).status_code)
    assert answers == [302, 403, 404, 403]
    assert _counts() == before


@pytest.mark.parametrize("name", ["plan_transition", "plan_builder", "plan_weights"])
def test_only_the_right_roles_post_on_a_plan(client, world, name):
    users, objects = world
    args = [objects["plan"].pk, "approve"] if name == "plan_transition" else [objects["plan"].pk]
    url = reverse(f"plans:{name}", args=args)
    client.force_login(users["owner"])
    response = client.post(url, {"decision_number": "1/QĐ", "decision_date": "01/03/2022"})
    assert response.status_code in (302, 403)
    objects["plan"].refresh_from_db()
    assert objects["plan"].decision_number == "245/QĐ-BCT"


def _counts():
    from schemes.models import SchemeBeneficiary, SchemeDocument, SchemeItem

    return [m.objects.count() for m in (SchemeItem, SchemeBeneficiary, SchemeDocument)]
