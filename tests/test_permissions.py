"""Every URL of the portal against every role: who gets the page, who is sent to log in, who
is refused (403) and for whom the object does not exist (404). The URL configuration is walked
(`test_every_url_is_in_the_matrix`): a URL without a row here, or a row without its URL, fails.
The admin's rows are generated from admin.site's registry, every model's pages alike.

One world serves the whole module (built once, rolled back at the end), and every request runs
in a savepoint rolled back after it: each role meets the same world. The SQL a request runs is
watched, so an answer also says whether it wrote: DONE is the only answer that may have.
"""

import datetime
import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve
from simple_history.admin import SimpleHistoryAdmin

from beneficiaries.models import DocumentKind, ImportBatch, PriorityWeight, SupportRequest
from khuyencong.models import AccessEvent, User
from khuyencong.spreadsheets import XLSX_CONTENT_TYPE
from reports.models import QuarterlyReport
from schemes.models import AcceptanceWaiver, Plan, RuleException, SupportRule
from schemes.reference import ensure_support_rules
from tests import factories as f

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "owner", "other_district", "officer", "manager", "admin")

# Answers besides plain status codes.
LOGIN = "login"  # 302 to the portal's login page, ?next= the URL asked for
ADMIN_LOGIN = "admin login"  # 302 to the admin's login page, ?next= the URL asked for
DONE = "302, wrote"  # redirected after writing
REDIRECT = "302, wrote nothing"  # e.g. back to the page, refused by the life cycle with a message
NOT_CHECKED = "not checked"  # the administrator's own writes in the admin: Django's business


@dataclass(frozen=True)
class Row:
    """The expected answers to one URL, in ROLES order. `args`: a world object's key (its pk
    comes first), then literal arguments. `post`: the answers to a POST of `data`, for URLs
    that act on one. Every answer but DONE says that the request wrote nothing."""

    get: tuple
    args: tuple = ()
    post: tuple | None = None
    data: Any = None  # a dict, or a function of the world for what must be fresh or looked up
    query: str = ""
    url: Any = None  # for unnamed patterns: a function of the world giving the URL


EVERYONE = (LOGIN, 200, 200, 200, 200, 200)
IN_SCOPE = (LOGIN, 200, 404, 200, 200, 200)  # the other district is told it does not exist
# A record of the shared scheme (provincial, with a beneficiary in each district) but of no
# beneficiary: both partner districts see it.
SHARED = EVERYONE
POST_ONLY = (LOGIN, 405, 405, 405, 405, 405)
PROVINCIAL = (LOGIN, 403, 403, 200, 200, 200)
OFFICER_ONLY = (LOGIN, 403, 403, 200, 403, 200)
FACILITY_EDITORS = (LOGIN, 200, 200, 200, 403, 200)  # district staff and officers
DISTRICT_ONLY = (LOGIN, 200, 200, 403, 403, 200)
ADMIN_ONLY = (ADMIN_LOGIN,) * 5 + (200,)
# A model's admin pages do not name the admin's login page to LoginRequiredMiddleware, so a
# visitor is sent to the portal's; a signed-in user who is not staff, to the admin's.
ADMIN_MODEL_PAGE = (LOGIN,) + (ADMIN_LOGIN,) * 4 + (200,)


def _pdf(world):
    return {"title": "Ảnh nhà xưởng", "file": SimpleUploadedFile("anh.pdf", f.DEMO_PDF)}


def _dossier(world):
    return {"files": [SimpleUploadedFile("don.pdf", f.DEMO_PDF)], "kind": [""]}


def _weights(world):
    return dict.fromkeys(SupportRequest.PRIORITY_FLAGS, "2")


APPROVAL = {"decision_number": "12/QĐ-UBND", "decision_date": "01/03/2023"}
ENTRY = {"support_amount": "1"}  # incomplete on purpose: an officer is shown the form again (422)
ENTRY_ANSWERS = (LOGIN, 403, 404, 422, 403, 422)
SCHEME_ROW = (LOGIN, 403, 404, DONE, 403, DONE)  # a row of a scheme: officers in scope only

# One row per URL name, grouped by app; a list holds several cases of one URL.
MATRIX = {
    # khuyencong
    "dashboard": Row(EVERYONE),
    "healthz": Row((200,) * 6),  # for the load balancer
    # Signed in: on to the dashboard.
    "login": Row((200,) + (REDIRECT,) * 5, post=(200,) + (REDIRECT,) * 5),
    "logout": Row(POST_ONLY, post=(LOGIN,) + (REDIRECT,) * 5),  # on to the login page
    "password_change": Row(EVERYONE, post=EVERYONE),  # an empty form is shown again
    "favicon": Row((301,) * 6),  # to the static icon, for anyone
    # beneficiaries
    "beneficiaries:facility_list": Row(EVERYONE),
    "beneficiaries:facility_create": Row(FACILITY_EDITORS, post=FACILITY_EDITORS),
    "beneficiaries:facility_export": Row(EVERYONE),  # each his own scope's rows
    "beneficiaries:facility_template": Row(FACILITY_EDITORS),
    "beneficiaries:facility_import": Row(FACILITY_EDITORS, post=FACILITY_EDITORS),
    "beneficiaries:facility_detail": Row(IN_SCOPE, ("facility",)),
    "beneficiaries:facility_edit": Row(
        (LOGIN, 200, 404, 200, 403, 200), ("facility",), post=(LOGIN, 200, 404, 200, 403, 200)
    ),
    "beneficiaries:facility_document_upload": Row(
        POST_ONLY, ("facility",), post=(LOGIN, DONE, 404, DONE, 403, DONE), data=_pdf
    ),
    "beneficiaries:request_list": Row(EVERYONE),
    "beneficiaries:request_export": Row(EVERYONE),
    "beneficiaries:request_review_queue": Row(PROVINCIAL),
    "beneficiaries:request_queue_export": Row(PROVINCIAL),
    # Officers only decide; nothing picked, the queue says so.
    "beneficiaries:request_queue_decide": Row(
        POST_ONLY, post=(LOGIN, 403, 403, REDIRECT, 403, REDIRECT), data={"action": "reject"}
    ),
    # Officers only choose; with no plan picked, the request's page says so.
    "beneficiaries:request_choose": Row(
        POST_ONLY, ("submitted_request",), post=(LOGIN, 403, 403, REDIRECT, 403, REDIRECT)
    ),
    "beneficiaries:request_create": Row(DISTRICT_ONLY, post=DISTRICT_ONLY),
    "beneficiaries:request_template": Row(DISTRICT_ONLY),
    "beneficiaries:request_import": Row(DISTRICT_ONLY, post=DISTRICT_ONLY),
    "beneficiaries:request_detail": Row(IN_SCOPE, ("request",)),
    "beneficiaries:request_sheet_pdf": Row(IN_SCOPE, ("request",)),
    "beneficiaries:request_edit": Row(
        (LOGIN, 200, 404, 403, 403, 200), ("request",), post=(LOGIN, 200, 404, 403, 403, 200)
    ),
    "beneficiaries:request_transition": [
        # The province may not withdraw a district's request: the page says why.
        Row(POST_ONLY, ("request", "withdraw"), post=(LOGIN, DONE, 404, REDIRECT, REDIRECT, DONE)),
        # A request enters the plan only through the plan builder, which links it to its
        # scheme: posted here, nobody may include it.
        Row(
            POST_ONLY,
            ("submitted_request", "include"),
            post=(LOGIN, REDIRECT, 404, REDIRECT, REDIRECT, REDIRECT),
        ),
    ],
    "beneficiaries:request_document_upload": Row(
        POST_ONLY, ("request",), post=(LOGIN, DONE, 404, DONE, 403, DONE), data=_pdf
    ),
    "beneficiaries:request_dossier_upload": Row(
        POST_ONLY, ("request",), post=(LOGIN, DONE, 404, DONE, 403, DONE), data=_dossier
    ),
    "beneficiaries:document_download": Row(IN_SCOPE, ("document",)),
    "beneficiaries:document_delete": Row(
        POST_ONLY, ("document",), post=(LOGIN, DONE, 404, DONE, 403, DONE)
    ),
    # A batch is its uploader's alone; confirming one not yet checked says why on its page.
    "beneficiaries:import_preview": Row(
        (LOGIN, 200, 404, 404, 404, 404), ("batch",), post=(LOGIN, REDIRECT, 404, 404, 404, 404)
    ),
    # schemes
    "schemes:scheme_list": Row(EVERYONE),
    "schemes:scheme_export": Row(EVERYONE),  # each his own scope's rows
    "schemes:contract_list": Row(EVERYONE),  # each his own scope's rows
    "schemes:contract_export": Row(EVERYONE),
    "schemes:disbursement_list": Row(EVERYONE),
    "schemes:disbursement_export": Row(EVERYONE),
    "schemes:scheme_create": Row(OFFICER_ONLY, post=OFFICER_ONLY),
    # The beneficiary form's search: the scheme's own candidates, for whoever sees the scheme.
    "schemes:beneficiary_options": Row(IN_SCOPE, ("scheme",), query="q=che"),
    "schemes:scheme_detail": [Row(IN_SCOPE, ("scheme",)), Row(SHARED, ("shared_scheme",))],
    "schemes:scheme_summary_pdf": [Row(IN_SCOPE, ("scheme",)), Row(SHARED, ("shared_scheme",))],
    # Drawn up by the Centre: district staff are refused it even where they see the scheme.
    "schemes:minutes_pdf": [
        Row((LOGIN, 403, 404, 200, 200, 200), ("scheme",)),
        Row(PROVINCIAL, ("shared_scheme",)),
    ],
    "schemes:scheme_edit": Row(
        (LOGIN, 403, 404, 200, 403, 200), ("scheme",), post=(LOGIN, 403, 404, 200, 403, 200)
    ),
    # Only a manager approves or cancels; others are told why on the scheme's page.
    "schemes:scheme_transition": [
        Row(
            POST_ONLY,
            ("submitted_scheme", "approve"),
            post=(LOGIN, REDIRECT, 404, REDIRECT, DONE, DONE),
            data=APPROVAL,
        ),
        # The manager sends a submitted scheme back to the officer, with the reason.
        Row(
            POST_ONLY,
            ("submitted_scheme", "send_back"),
            post=(LOGIN, REDIRECT, 404, REDIRECT, DONE, DONE),
            data={"reason": "Bổ sung dự toán"},
        ),
        Row(
            POST_ONLY,
            ("scheme", "cancel"),
            post=(LOGIN, REDIRECT, 404, REDIRECT, DONE, DONE),
            data={"reason": "Cơ sở xin rút"},
        ),
    ],
    "schemes:item_add": Row(POST_ONLY, ("scheme",), post=ENTRY_ANSWERS, data=ENTRY),
    "schemes:beneficiary_add": Row(POST_ONLY, ("scheme",), post=ENTRY_ANSWERS, data=ENTRY),
    "schemes:contract_add": Row(POST_ONLY, ("scheme",), post=ENTRY_ANSWERS, data=ENTRY),
    "schemes:disbursement_add": Row(POST_ONLY, ("scheme",), post=ENTRY_ANSWERS, data=ENTRY),
    "schemes:inspection_add": Row(POST_ONLY, ("scheme",), post=ENTRY_ANSWERS, data=ENTRY),
    "schemes:acceptance_add": Row(POST_ONLY, ("scheme",), post=ENTRY_ANSWERS, data=ENTRY),
    "schemes:document_add": Row(POST_ONLY, ("scheme",), post=ENTRY_ANSWERS, data=ENTRY),
    "schemes:dossier_upload": Row(POST_ONLY, ("scheme",), post=SCHEME_ROW, data=_dossier),
    "schemes:photo": Row(IN_SCOPE, ("photo",)),
    "schemes:photo_thumbnail": Row(IN_SCOPE, ("photo",)),
    "schemes:item_delete": Row(POST_ONLY, ("item",), post=SCHEME_ROW),
    # The officer's exception to the gates of a request for acceptance.
    "schemes:acceptance_waiver_add": Row(
        POST_ONLY,
        ("running_scheme",),
        post=(LOGIN, 403, 404, DONE, 403, DONE),
        data={"reason": "Vướng mắc đã khắc phục"},
    ),
    # Bắc Quang's beneficiary of the shared scheme: Đồng Văn, a partner of the scheme too, is
    # told it does not exist, as of Bắc Quang's facility.
    "schemes:beneficiary_update": [
        Row(POST_ONLY, (key,), post=SCHEME_ROW, data={"support_amount": "2"})
        for key in ("beneficiary", "shared_beneficiary")
    ],
    "schemes:beneficiary_delete": [
        Row(POST_ONLY, ("beneficiary",), post=SCHEME_ROW),
        # It has a contract: an officer is told why it stays.
        Row(
            POST_ONLY,
            ("shared_beneficiary",),
            post=(LOGIN, 403, 404, REDIRECT, 403, REDIRECT),
        ),
    ],
    "schemes:beneficiary_declare": [
        Row(POST_ONLY, (key,), post=SCHEME_ROW) for key in ("beneficiary", "shared_beneficiary")
    ],
    "schemes:document_download": [
        Row(IN_SCOPE, ("scheme_document",)),
        Row(IN_SCOPE, ("shared_beneficiary_document",)),
        Row(SHARED, ("shared_scheme_document",)),
    ],
    "schemes:document_delete": [
        Row(POST_ONLY, ("scheme_document",), post=SCHEME_ROW),
        Row(POST_ONLY, ("shared_beneficiary_document",), post=SCHEME_ROW),
        # Found by both partners; only officers delete.
        Row(POST_ONLY, ("shared_scheme_document",), post=(LOGIN, 403, 403, DONE, 403, DONE)),
    ],
    "schemes:minutes_download": [
        Row(IN_SCOPE, ("acceptance",)),
        Row(SHARED, ("shared_acceptance",)),  # the acceptance is the scheme's
    ],
    "schemes:rule_list": Row(EVERYONE),  # the law is public
    "schemes:rule_export": Row(EVERYONE),
    # Kept by permission, not by role: no officer holds it here, the superuser does.
    "schemes:rule_create": Row(
        (LOGIN, 403, 403, 403, 403, 200), post=(LOGIN,) + (403,) * 4 + (200,)
    ),
    "schemes:rule_edit": Row(
        (LOGIN, 403, 403, 403, 403, 200), ("rule",), post=(LOGIN,) + (403,) * 4 + (200,)
    ),
    # plans: a district sees the plans that fund its schemes
    "plans:plan_list": Row(EVERYONE),
    "plans:plan_list_export": Row(EVERYONE),
    "plans:plan_create": Row(OFFICER_ONLY, post=OFFICER_ONLY),
    "plans:plan_detail": Row(EVERYONE, ("plan",)),
    # Approved: back to the plan, for whoever may edit.
    "plans:plan_edit": Row(
        (LOGIN, 403, 403, REDIRECT, 403, REDIRECT),
        ("plan",),
        post=(LOGIN, 403, 403, REDIRECT, 403, REDIRECT),
    ),
    "plans:plan_transition": [
        Row(
            POST_ONLY,
            ("submitted_plan", "approve"),
            post=(LOGIN, REDIRECT, REDIRECT, REDIRECT, DONE, DONE),  # only a manager approves
            data={**APPROVAL, "approving_body": "UBND tỉnh"},
        ),
        Row(
            POST_ONLY,
            ("draft_plan", "submit"),
            post=(LOGIN, REDIRECT, REDIRECT, DONE, REDIRECT, DONE),  # only an officer submits
        ),
    ],
    "plans:plan_builder": Row(OFFICER_ONLY, ("plan",), post=OFFICER_ONLY),
    "plans:plan_weights": Row(
        POST_ONLY, ("plan",), post=(LOGIN, 403, 403, DONE, 403, DONE), data=_weights
    ),
    "plans:plan_export_xlsx": Row(PROVINCIAL, ("plan",)),
    "plans:plan_export_pdf": Row(PROVINCIAL, ("plan",)),
    # reports: for the province's managers and officers, within their scope
    "reports:report_list": Row(PROVINCIAL),
    "reports:report_request": Row(
        POST_ONLY, post=(LOGIN, 403, 403, DONE, DONE, DONE), data={"year": 2022, "quarter": 4}
    ),
    "reports:report_status": [
        Row(PROVINCIAL, ("report",)),
        Row((LOGIN, 403, 403, 404, 404, 200), ("foreign_report",)),
    ],
    "reports:report_download": [
        Row((LOGIN, 403, 403, 404, 404, 404), ("report",)),  # failed: no file to give
        Row(PROVINCIAL, ("done_report",)),
        Row((LOGIN, 403, 403, 404, 404, 200), ("foreign_report",)),
    ],
    "reports:report_download_xlsx": [
        Row((LOGIN, 403, 403, 404, 404, 404), ("report",)),
        Row(PROVINCIAL, ("done_report",)),
        Row((LOGIN, 403, 403, 404, 404, 200), ("foreign_report",)),
    ],
    "reports:report_retry": Row(POST_ONLY, ("report",), post=(LOGIN, 403, 403, DONE, DONE, DONE)),
    # duties: a reminder is its addressee's alone
    "duties:task_list": Row(EVERYONE),
    "duties:task_export": Row(EVERYONE),
    "duties:nav_badge": Row((200,) * 6),  # empty for a visitor, never a login page
    # Marked read, then on to its record: the link in the e-mail is a GET.
    "duties:notification_open": Row((LOGIN, DONE, 404, 404, 404, 404), ("notification",)),
    "duties:notification_read": Row(
        POST_ONLY, ("notification",), post=(LOGIN, DONE, 404, 404, 404, 404)
    ),
    "duties:notification_read_all": Row(
        POST_ONLY, post=(LOGIN, DONE, REDIRECT, REDIRECT, REDIRECT, REDIRECT)
    ),
    # the admin's own pages; each registered model's are generated below
    "admin:index": Row(ADMIN_ONLY),
    # Staff: on to the index. Posting no name and password shows the form again.
    "admin:login": Row((200,) * 5 + (REDIRECT,), post=(200,) * 6),
    # Logging out of the admin only makes sense for staff; others are sent to its index.
    "admin:logout": Row(
        (ADMIN_LOGIN,) + (REDIRECT,) * 4 + (405,), post=(ADMIN_LOGIN,) + (REDIRECT,) * 5
    ),
    "admin:password_change": Row(ADMIN_ONLY, post=ADMIN_ONLY),
    "admin:password_change_done": Row(ADMIN_ONLY),
    "admin:autocomplete": Row(
        ADMIN_ONLY, query="app_label=beneficiaries&model_name=facility&field_name=unit"
    ),
    "admin:jsi18n": Row(ADMIN_ONLY),
    # No model has a public page of its own to send the administrator to.
    "admin:view_on_site": Row(
        (ADMIN_LOGIN,) * 5 + (404,),
        url=lambda w: reverse(
            "admin:view_on_site",
            args=[ContentType.objects.get_for_model(w["facility"]).pk, w["facility"].pk],
        ),
    ),
    "admin:app_list": [
        Row(ADMIN_ONLY, url=lambda w, label=label: reverse("admin:app_list", args=[label]))
        for label in sorted({m._meta.app_label for m in admin.site._registry})
    ],
    # Unnamed: the admin answers any other address under it, to staff only.
    "admin:(?P<url>.*)$": Row(
        (ADMIN_LOGIN,) * 5 + (404,), url=lambda w: reverse("admin:index") + "khong-co/"
    ),
}

# What the admin refuses even the administrator (403), by model.
ADMIN_REFUSES = {
    "duties.notification": {"add"},  # reminders come from the deadlines job
    # django-axes's records of sign-ins: made by signing in, deleted to lift a lockout
    "axes.accessattempt": {"add"},
    "axes.accesslog": {"add"},
    "axes.accessfailurelog": {"add"},
}
# Only to see and search in the admin: written through the portal's services, which check the
# money rules and the life cycles (the access log: by signing in). Their add and delete pages
# are refused even the administrator, and so is every write posted to them.
ADMIN_READ_ONLY = {
    "khuyencong.accessevent",
    "beneficiaries.supportrequest",
    "reports.quarterlyreport",  # made by the worker
    *(
        f"schemes.{name}"
        for name in (
            "plan",
            "scheme",
            "schemeitem",
            "schemebeneficiary",
            "contract",
            "disbursement",
            "inspection",
            "acceptance",
            "supportrule",
            "ruleexception",
            "acceptancewaiver",
        )
    ),
}
ADMIN_REFUSED_POST = (LOGIN,) + (ADMIN_LOGIN,) * 4 + (NOT_CHECKED,)
ADMIN_READ_ONLY_POST = (LOGIN,) + (ADMIN_LOGIN,) * 4 + (403,)


def _admin_rows():
    """Every page of every model registered in the admin: staff only."""
    rows = {}
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        info = f"admin:{meta.app_label}_{meta.model_name}"

        def url(name, model=model, past=False):
            def build(w):
                obj = w.admin_object(model)
                return reverse(name, args=[obj.pk, w.history_id(model)] if past else [obj.pk])

            return build

        read_only = meta.label_lower in ADMIN_READ_ONLY
        refused = {"add", "delete"} if read_only else ADMIN_REFUSES.get(meta.label_lower, set())
        write = ADMIN_READ_ONLY_POST if read_only else ADMIN_REFUSED_POST

        def answers(page, refused=refused):
            return (*ADMIN_MODEL_PAGE[:5], 403 if page in refused else 200)

        # A read-only list posted to has no action to run: shown again (200), nothing written.
        listed = ADMIN_MODEL_PAGE if read_only else ADMIN_REFUSED_POST
        rows[f"{info}_changelist"] = Row(ADMIN_MODEL_PAGE, post=listed)
        rows[f"{info}_add"] = Row(answers("add"), post=write)
        # A read-only record's page shows it, without a form to save.
        rows[f"{info}_change"] = Row(ADMIN_MODEL_PAGE, url=url(f"{info}_change"), post=write)
        rows[f"{info}_delete"] = Row(answers("delete"), url=url(f"{info}_delete"), post=write)
        rows[f"{info}_history"] = Row(ADMIN_MODEL_PAGE, url=url(f"{info}_history"))
        if isinstance(model_admin, SimpleHistoryAdmin):  # a past version, to see or go back to
            rows[f"{info}_simple_history"] = Row(
                ADMIN_MODEL_PAGE, url=url(f"{info}_simple_history", past=True), post=write
            )
        # Unnamed: <app>/<model>/<pk>/ sends on to the change page.
        change = url(f"{info}_change")
        rows[f"admin:{meta.app_label}/{meta.model_name}/<path:object_id>/"] = Row(
            (*ADMIN_MODEL_PAGE[:5], REDIRECT),
            url=lambda w, change=change: change(w)[: -len("change/")],
        )
    rows["admin:auth_user_password_change"] = Row(
        ADMIN_MODEL_PAGE,
        url=lambda w: reverse("admin:auth_user_password_change", args=[w["owner"].pk]),
        post=ADMIN_REFUSED_POST,
    )
    return rows


MATRIX.update(_admin_rows())
CASES = [
    pytest.param(name, row, id=f"{name}[{i}]" if isinstance(rows, list) else name)
    for name, rows in MATRIX.items()
    for i, row in enumerate(rows if isinstance(rows, list) else [rows])
]


# --- the world ------------------------------------------------------------------------------


class World(dict):
    """The module's objects by key, the users by role and their signed-in sessions."""

    def admin_object(self, model):
        """A record of `model` for its admin pages: one with a past version when it keeps them."""
        history = getattr(model, "history", None)
        if history is not None:
            past = history.exclude(history_type="-").order_by("-history_id").first()
            assert past, f"the world has no past version of a {model._meta.label}"
            return model._base_manager.get(pk=past.instance.pk)
        obj = model._base_manager.order_by("pk").first()
        assert obj, f"the world has no {model._meta.label}: add one for its admin pages"
        return obj

    def history_id(self, model):
        obj = self.admin_object(model)
        return obj.history.order_by("-history_id").first().history_id

    def client(self, role):
        client = Client()
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at its end."""
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_root(world):
    """Replaces conftest's: the world's stored files live as long as the module."""
    return settings.MEDIA_ROOT


def _build_world():
    province = f.ProvinceFactory(code="02", name="Tỉnh Hà Giang")
    district = f.DistrictFactory(code="034", name="Huyện Bắc Quang", parent=province)
    other = f.DistrictFactory(code="026", name="Huyện Đồng Văn", parent=province)
    commune = f.CommuneFactory(name="Xã Tân Quang", parent=district)
    f.CommuneFactory(name="Xã Lũng Cú", parent=other)
    foreign = f.ProvinceFactory(code="08", name="Tỉnh Tuyên Quang")
    owner = f.UserFactory(username="bacquang", role=User.Role.DISTRICT, unit=district)
    w = World(
        owner=owner,  # district staff of Bắc Quang, where the records are
        other_district=f.UserFactory(username="dongvan", role=User.Role.DISTRICT, unit=other),
        officer=f.UserFactory(username="officer", role=User.Role.OFFICER, unit=province),
        manager=f.UserFactory(username="manager", role=User.Role.MANAGER, unit=province),
        admin=f.UserFactory(
            username="admin", role=User.Role.ADMIN, unit=None, is_staff=True, is_superuser=True
        ),
    )
    plan = f.PlanFactory(unit=province)
    facility = f.FacilityFactory(unit=commune)
    document = f.DocumentFactory(facility=facility)
    scheme = f.SchemeFactory(plan=plan, unit=district)
    # A fifth of its cost: within every cap, so that a manager may approve the scheme.
    item = f.SchemeItemFactory(
        scheme=scheme, support_amount=1_000_000, counterpart_amount=4_000_000
    )
    contract = f.ContractFactory(scheme=scheme)
    ensure_support_rules()
    rule = SupportRule.objects.order_by("pk").first()
    draft_plan = f.PlanFactory(
        unit=province, year=2023, status=Plan.Status.DRAFT, decision_number="", decision_date=None
    )
    f.SchemeFactory(plan=draft_plan, unit=province, budget=100_000_000)
    submitted_plan = f.PlanFactory(
        unit=province,
        year=2024,
        status=Plan.Status.SUBMITTED,
        decision_number="",
        decision_date=None,
    )
    f.SchemeFactory(plan=submitted_plan, unit=province, budget=100_000_000)
    # Submitted for approval, its money that of its item.
    submitted_scheme = f.SchemeFactory(
        plan=plan, unit=district, status="submitted", budget=1_000_000, counterpart_budget=4_000_000
    )
    f.SchemeItemFactory(
        scheme=submitted_scheme, support_amount=1_000_000, counterpart_amount=4_000_000
    )
    # In progress, never inspected: a request for acceptance waits on the officer's exception.
    running_scheme = f.SchemeFactory(
        plan=plan,
        unit=district,
        status="in_progress",
        approval_number="3/QĐ-SCT",
        approval_date=datetime.date(2022, 3, 1),
    )
    shared = _shared_scheme(plan, province, facility, other, document.file.name)
    w.update(
        plan=plan,
        draft_plan=draft_plan,
        submitted_plan=submitted_plan,
        submitted_scheme=submitted_scheme,
        running_scheme=running_scheme,
        facility=facility,
        request=f.SupportRequestFactory(facility=facility),
        submitted_request=f.SupportRequestFactory(
            facility=facility, status=SupportRequest.Status.SUBMITTED
        ),
        document=document,
        batch=ImportBatch.objects.create(
            kind="facilities", user=owner, file="imports/x.xlsx", original_name="x.xlsx"
        ),
        scheme=scheme,
        scheme_document=scheme.documents.create(
            title="Quyết định", file=document.file.name, content_type="application/pdf", size=1
        ),
        photo=scheme.documents.create(
            title="Ảnh kiểm tra",
            file=document.file.name,
            content_type="image/jpeg",
            size=1,
            inspection=f.InspectionFactory(scheme=scheme),
        ),
        acceptance=f.AcceptanceFactory(scheme=scheme, minutes=document.file.name),
        item=item,
        beneficiary=f.SchemeBeneficiaryFactory(
            scheme=scheme, facility=facility, support_amount=1, no_other_state_funding=False
        ),
        rule=rule,
        report=f.QuarterlyReportFactory(unit=province, status="failed"),
        done_report=_done_report(province, version=2),
        foreign_report=_done_report(foreign, version=1),
        notification=f.NotificationFactory(user=owner),
        **shared,
    )
    # One record of each model registered in the admin that nothing above made.
    f.DisbursementFactory(contract=contract)
    f.InspectionFactory(scheme=scheme)
    f.ReportSignerFactory(unit=province)
    RuleException.objects.create(
        scheme=scheme, item=item, rule=rule, allowed_amount=1, granted_amount=2, reason="Vùng lũ"
    )
    AcceptanceWaiver.objects.create(scheme=scheme, gates=["problem"], reason="Sạt lở đã khắc phục")
    Group.objects.create(name="Cán bộ Trung tâm")
    # Seeded by migrations, but gone from a database that a transactional test has flushed.
    DocumentKind.objects.get_or_create(code="KHAC", defaults={"name": "Tài liệu khác"})
    PriorityWeight.objects.get_or_create(flag=SupportRequest.PRIORITY_FLAGS[0])
    seen = {"username": "bacquang", "ip_address": "127.0.0.1", "user_agent": "Firefox"}
    AccessAttempt.objects.create(**seen, failures_since_start=1, get_data="", post_data="")
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    for model in admin.site._registry:
        _give_a_past_version(model)
    w.sessions = {}
    for role in ROLES[1:]:
        client = Client()
        client.force_login(w[role])
        w.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return w


def _shared_scheme(plan, province, facility, other_district, file_name):
    """A provincial group scheme with Bắc Quang's facility and one of Đồng Văn: each district
    is its partner, sees its own beneficiary's records and the scheme's own, not the other's."""
    scheme = f.SchemeFactory(plan=plan, unit=province, kind="group", code="NHOM-01")
    other_facility = f.FacilityFactory(
        name="HTX lanh Lũng Cú", unit=f.CommuneFactory(name="Xã Sủng Là", parent=other_district)
    )
    link = f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=facility, support_amount=1, no_other_state_funding=False
    )
    other_link = f.SchemeBeneficiaryFactory(scheme=scheme, facility=other_facility)
    for beneficiary in (link, other_link, None):
        contract = f.ContractFactory(scheme=scheme, beneficiary=beneficiary)
        f.DisbursementFactory(contract=contract)

    def document(beneficiary):
        return scheme.documents.create(
            beneficiary=beneficiary,
            title="Hồ sơ",
            file=file_name,
            content_type="application/pdf",
            size=1,
        )

    return {
        "shared_scheme": scheme,
        "shared_beneficiary": link,
        "shared_beneficiary_document": document(link),
        "shared_scheme_document": document(None),
        "shared_acceptance": f.AcceptanceFactory(scheme=scheme, minutes=file_name),
    }


def _done_report(unit, version):
    """A finished report with both its files, written straight to the storage."""
    stem = f"reports/bao-cao-{unit.code}-{version}"
    return f.QuarterlyReportFactory(
        unit=unit,
        version=version,
        status=QuarterlyReport.Status.DONE,
        pdf=default_storage.save(f"{stem}.pdf", ContentFile(f.DEMO_PDF)),
        xlsx=default_storage.save(f"{stem}.xlsx", ContentFile(b"PK\x03\x04 xlsx")),
    )


def _give_a_past_version(model):
    """Reference rows seeded by migrations have no history yet: saving one makes its first."""
    history = getattr(model, "history", None)
    if history is not None and not history.model.objects.exists():
        obj = model._base_manager.order_by("pk").first()
        if obj is not None:
            obj.save()


# --- asking and judging ---------------------------------------------------------------------

# Written on purpose whatever the answer: the session (signing in and out, the idle clock) and
# the access log (sign-ins, sign-outs, files taken out).
UNWATCHED_TABLES = {"django_session", AccessEvent._meta.db_table}
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)


class Writes:
    """The tables a request wrote rows to, seen in the SQL it ran (an execute wrapper)."""

    def __init__(self):
        self.tables = set()

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        write = WRITE.match(sql)
        if write and write[1] not in UNWATCHED_TABLES and context["cursor"].rowcount != 0:
            self.tables.add(write[1])
        return result


def _url(world, name, row):
    if row.url:
        url = row.url(world)
    else:
        key, *extra = row.args or (None,)
        args = [world[key].pk, *extra] if key else []
        url = reverse(name, args=args)
    return f"{url}?{row.query}" if row.query else url


def _login_redirect(response, url):
    """LOGIN or ADMIN_LOGIN if the response sends to that login page with ?next=url."""
    if response.status_code != 302:
        return None
    location = urlsplit(response["Location"])
    if parse_qs(location.query).get("next") != [url]:
        return None
    pages = {resolve_url(settings.LOGIN_URL): LOGIN, reverse("admin:login"): ADMIN_LOGIN}
    return pages.get(location.path)


def _ask(world, role, method, url, data=None):
    """The answer to one request, in the matrix's words; whatever it wrote is rolled back."""
    writes = Writes()
    with transaction.atomic(), connection.execute_wrapper(writes):
        body = data(world) if callable(data) else data or {}
        response = getattr(world.client(role), method)(url, body)
        if response.streaming:
            response.getvalue()  # read to its end, so the file is closed
        transaction.set_rollback(True)
    answer = _login_redirect(response, url)
    if answer is None and response.status_code == 302:
        return DONE if writes.tables else REDIRECT
    if writes.tables:
        return f"{answer or response.status_code}, and wrote to {sorted(writes.tables)}"
    return answer or response.status_code


@pytest.mark.parametrize("name, row", CASES)
def test_each_role_gets_the_expected_answer(world, name, row):
    url = _url(world, name, row)
    answers = {role: _ask(world, role, "get", url) for role in ROLES}
    assert answers == dict(zip(ROLES, row.get, strict=True)), url
    if row.post:
        expected = {r: a for r, a in zip(ROLES, row.post, strict=True) if a != NOT_CHECKED}
        answers = {role: _ask(world, role, "post", url, row.data) for role in expected}
        assert answers == expected, f"POST {url}"


# Lists and exports answer every district (200); what they hold is the user's own scope.
SCOPED_LISTS = {
    "beneficiaries:facility_list": lambda w: w["facility"].name,
    "beneficiaries:facility_export": lambda w: w["facility"].name,
    "beneficiaries:request_list": lambda w: w["facility"].name,
    "schemes:scheme_list": lambda w: w["scheme"].code,
    "beneficiaries:request_export": lambda w: w["facility"].name,
    "schemes:scheme_export": lambda w: w["scheme"].code,
}


@pytest.mark.parametrize("name", SCOPED_LISTS)
def test_lists_hold_only_the_scope(world, name):
    mark = SCOPED_LISTS[name](world)
    assert mark in _content(world.client("owner").get(reverse(name)))
    assert mark not in _content(world.client("other_district").get(reverse(name)))


def test_a_shared_scheme_shows_each_partner_his_own_beneficiary(world):
    url = reverse("schemes:scheme_detail", args=[world["shared_scheme"].pk])
    pages = {role: _content(world.client(role).get(url)) for role in ROLES[1:]}
    own, other = world["facility"].name, "HTX lanh Lũng Cú"
    assert own in pages["owner"] and other not in pages["owner"]
    assert other in pages["other_district"] and own not in pages["other_district"]
    for role in ("officer", "manager", "admin"):
        assert own in pages[role] and other in pages[role], role


def _content(response):
    assert response.status_code == 200
    if response["Content-Type"] != XLSX_CONTENT_TYPE:
        return response.content.decode()
    sheets = openpyxl.load_workbook(BytesIO(response.content), read_only=True).worksheets
    return " ".join(
        str(v) for sheet in sheets for row in sheet.iter_rows(values_only=True) for v in row
    )


# --- the matrix covers the URL configuration ------------------------------------------------


def _url_patterns(resolver=None, namespace="", route="", full=""):
    """(key, full route, pattern) of every URL pattern. The key is 'namespace:name', or for an
    unnamed pattern 'namespace:its route within the namespace'."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        here, there = route + str(pattern.pattern), full + str(pattern.pattern)
        if isinstance(pattern, URLResolver) and pattern.namespace:
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _url_patterns(pattern, inner, "", there)
        elif isinstance(pattern, URLResolver):
            yield from _url_patterns(pattern, namespace, here, there)
        elif isinstance(pattern, URLPattern):
            prefix = f"{namespace}:" if namespace else ""
            yield prefix + (pattern.name or here), there, pattern


def test_every_url_is_in_the_matrix():
    found = {key: (route, pattern) for key, route, pattern in _url_patterns()}
    missing = sorted(
        f"{key}  (/{route}, converters: {sorted(pattern.pattern.converters) or 'none'})"
        for key, (route, pattern) in found.items()
        if key not in MATRIX
    )
    assert not missing, "URLs with no row in the permission matrix:\n" + "\n".join(missing)
    gone = sorted(set(MATRIX) - set(found))
    assert not gone, f"rows of the matrix for URLs that no longer exist: {gone}"


def test_the_admin_lives_where_settings_say():
    assert reverse("admin:index") == "/" + settings.ADMIN_URL


# --- stored files only through views that check scope ---------------------------------------


def test_no_url_serves_the_media_folder():
    patterns = list(_url_patterns())
    assert all(pattern.callback is not serve for _key, _route, pattern in patterns)
    media = settings.MEDIA_URL.strip("/")
    assert not media or not any(route.startswith(media) for _key, route, _ in patterns)


def test_stored_files_are_not_reachable_by_their_path(world):
    stored = [
        world["document"].file.name,
        world["done_report"].pdf.name,
        world["done_report"].xlsx.name,
    ]
    assert all(default_storage.exists(name) for name in stored)
    for name in stored:
        for url in (f"/media/{name}", f"/{name}", f"{settings.STATIC_URL}{name}"):
            answers = {role: _ask(world, role, "get", url) for role in ROLES}
            assert answers == dict.fromkeys(ROLES, 404), url
