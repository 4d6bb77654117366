"""Every form the portal's users submit, and both spreadsheet imports, fed hostile values by
hypothesis — huge and negative numbers, impossible dates, mixed scripts, control characters,
very long text, markup, SQL, formulas — through the real views on the real database. Whatever
comes in: no 500; a refusal says why in Vietnamese and writes nothing; what is saved is NFC,
free of control characters and within its column; a spreadsheet export never holds a formula.

Each form starts from a valid payload (checked to save) and has one to three fields replaced.
A value marked "must refuse" is one no field of its kind takes: money beyond 10^15 đồng or
negative, a date outside 2000–2100 or not a date, a choice not offered. Text is the user's to
choose: it may be refused (too long, NUL) or saved clean. Examples run in a savepoint rolled
back after each, so each starts from the same records.

HOSTILE_EXAMPLES=200 HOSTILE_RANDOM=1 pytest tests/test_hostile_input.py explores further."""

import datetime
import io
import os
import re
import urllib.parse
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

import openpyxl
import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import BaseForm
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from beneficiaries.models import Facility, ImportBatch, SupportRequest
from khuyencong.models import ActivityType, FundingSource
from sampledata.demo import DEMO_PDF
from schemes.models import Plan, SupportRule
from tests import factories as f
from tests import hostile
from tests.beneficiaries.test_imports import HEADERS as FACILITY_IMPORT_HEADERS

pytestmark = pytest.mark.django_db

HOSTILE = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 10)),
    deadline=None,
    derandomize=not os.environ.get("HOSTILE_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TR = 1_000_000
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


# --- The records the forms act on -------------------------------------------------------------


class World:
    """What the forms need, each made on first use (before the examples run, so that no
    example's rollback takes it away)."""

    def __init__(self, province):
        self.p = province

    @cached_property
    def sector(self):
        return f.SectorFactory()

    @cached_property
    def activity(self):
        return ActivityType.objects.get(code="03.3")

    @cached_property
    def local_source(self):
        return FundingSource.objects.get(code="KCDP")

    @cached_property
    def facility(self):
        return f.FacilityFactory(unit=self.p.commune, sector=self.sector, name="HTX chè Phìn Hồ")

    def request(self, status="draft", year=2026):
        return f.SupportRequestFactory(
            facility=self.facility, activity_type=self.activity, status=status, year=year
        )

    @cached_property
    def draft_request(self):
        return self.request()

    @cached_property
    def submitted_request(self):
        return self.request("submitted")

    @cached_property
    def plan(self):
        """Approved, 2022, national source: the schemes live here."""
        return f.PlanFactory(unit=self.p.province, budget=5_000 * TR)

    @cached_property
    def draft_plan(self):
        """2024, local source, one scheme within its budget: ready for approval."""
        plan = f.PlanFactory(
            unit=self.p.province,
            year=2024,
            funding_source=self.local_source,
            title="Kế hoạch khuyến công địa phương năm 2024",
            status=Plan.Status.DRAFT,
            decision_number="",
            decision_date=None,
        )
        f.SchemeFactory(plan=plan, unit=self.p.district, activity_type=self.activity)
        return plan

    @cached_property
    def submitted_plan(self):
        """2025, local source, submitted by the officer: the manager's to approve."""
        plan = f.PlanFactory(
            unit=self.p.province,
            year=2025,
            funding_source=self.local_source,
            title="Kế hoạch khuyến công địa phương năm 2025",
            status=Plan.Status.SUBMITTED,
            decision_number="",
            decision_date=None,
        )
        f.SchemeFactory(plan=plan, unit=self.p.district, activity_type=self.activity)
        return plan

    @cached_property
    def builder_request(self):
        return self.request("submitted", year=2024)

    def scheme(self, status, **extra):
        decided = {} if status == "proposed" else {"approval_number": "12/QĐ-SCT"}
        if decided:
            decided["approval_date"] = datetime.date(2022, 3, 1)
        return f.SchemeFactory(
            plan=self.plan,
            unit=self.p.district,
            activity_type=self.activity,
            status=status,
            budget=600 * TR,
            **decided,
            **extra,
        )

    @cached_property
    def proposed(self):
        return self.scheme("proposed")

    @cached_property
    def submitted(self):
        return f.submitted(self.scheme("proposed"))

    @cached_property
    def link(self):
        other = f.FacilityFactory(unit=self.p.commune, sector=self.sector, name="HTX mây tre")
        return f.SchemeBeneficiaryFactory(
            scheme=self.proposed, facility=other, support_amount=100 * TR
        )

    @cached_property
    def approved(self):
        return self.scheme("approved")

    @cached_property
    def in_progress(self):
        scheme = self.scheme("in_progress")
        self.contract = f.ContractFactory(scheme=scheme, number="01/HĐ", value=200 * TR)
        return scheme

    @cached_property
    def awaiting(self):
        return self.scheme("awaiting_acceptance")

    @cached_property
    def accepted(self):
        scheme = self.scheme("accepted")
        f.AcceptanceFactory(scheme=scheme, accepted_amount=500 * TR)
        return scheme

    @cached_property
    def rule(self):
        return SupportRule.objects.filter(activity_type=self.activity).first()


def version(obj):
    obj.refresh_from_db()
    return obj.updated_at.isoformat()


def pdf(name="ho-so.pdf"):
    return SimpleUploadedFile(name, DEMO_PDF)


# --- The forms ---------------------------------------------------------------------------------

# What a field is sent: any hostile text, and for these kinds also values it must refuse (see
# hostile.BY_KIND): money, number, date, choice; a file field gets hostile files.
TEXT, MONEY, NUMBER, DATE, CHOICE, FILE = "text", "money", "number", "date", "choice", "file"


@dataclass
class Form:
    """A form as users post it: who, to which URL (a route, and the world's object and step it
    acts on), and fields(world) → {field: (valid value, kind)}."""

    name: str
    role: str
    route: str
    fields: object
    on: str = ""
    step: str = ""
    regressions: list = field(default_factory=list)  # bugs found, kept as @example

    def url(self, world):
        args = [getattr(world, self.on).pk, self.step] if self.on else []
        return reverse(self.route, args=[a for a in args if a != ""])

    def payload(self, world):
        return values(self.fields(world))

    def kinds(self, world):
        return {name: kind for name, (_value, kind) in self.fields(world).items()}


def values(fields):
    return {name: value for name, (value, _kind) in fields.items()}


def _facility(w):
    return {
        "name": ("Cơ sở mộc Tân Quang", TEXT),
        "kind": ("household", CHOICE),
        "sector": (w.sector.pk, CHOICE),
        "unit": (w.p.commune.pk, CHOICE),
        "address": ("Thôn Tân Thành", TEXT),
        "owner_name": ("Lý Văn Páo", TEXT),
        "tax_code": ("", TEXT),
        "phone": ("0912345678", TEXT),
        "email": ("", TEXT),
        "workers": ("6", NUMBER),
        "products": ("Bàn ghế gỗ", TEXT),
    }


def _facility_edit(w):
    return {**_facility(w), "name": (w.facility.name, TEXT), "version": (version(w.facility), TEXT)}


def _request(w):
    return {
        "facility": (w.facility.pk, CHOICE),
        "year": ("2026", NUMBER),
        "activity_type": (w.activity.pk, CHOICE),
        "content": ("Máy sao chè", TEXT),
        "total_cost": ("300.000.000", MONEY),
        "counterpart": ("150.000.000", MONEY),
        "support_requested": ("150.000.000", MONEY),
        "local_strength": ("on", TEXT),
    }


def _request_edit(w):
    # A request stays with its facility: the field is disabled and whatever is sent, ignored.
    facility = (w.facility.pk, TEXT)
    return {**_request(w), "facility": facility, "version": (version(w.draft_request), TEXT)}


def _document(w):
    return {"kind": ("", CHOICE), "title": ("Ảnh nhà xưởng", TEXT), "file": (pdf(), FILE)}


def _scheme(w):
    return {
        "plan": (w.plan.pk, CHOICE),
        "code": ("QG-2022-99", TEXT),
        "title": ("Hỗ trợ máy vò chè", TEXT),
        "kind": ("single", CHOICE),
        "selection": ("review", CHOICE),
        "activity_type": (w.activity.pk, CHOICE),
        "unit": (w.p.district.pk, CHOICE),
        "implementing_body": ("Trung tâm Khuyến công", TEXT),
        "start_date": ("01/04/2022", DATE),
        "end_date": ("30/11/2022", DATE),
        "budget": ("100.000.000", MONEY),
        "counterpart_budget": ("0", MONEY),
        "description": ("Máy vò chè cho hợp tác xã", TEXT),
    }


def _scheme_edit(w):
    return {
        **_scheme(w),
        "code": (w.proposed.code, TEXT),
        "version": (version(w.proposed), TEXT),
    }


def _item(w):
    return {
        "activity_type": (w.activity.pk, CHOICE),
        "description": ("Máy sao chè", TEXT),
        "basis": ("", CHOICE),
        "support_amount": ("50.000.000", MONEY),
        "counterpart": ("50.000.000", MONEY),
    }


def _beneficiary(w):
    return {
        "facility": (w.facility.pk, CHOICE),
        "support_amount": ("100.000.000", MONEY),
        "counterpart": ("120.000.000", MONEY),
        "declared": ("on", TEXT),
    }


def _beneficiary_update(w):
    assert w.link
    return {
        "support_amount": ("90.000.000", MONEY),
        "counterpart": ("100.000.000", MONEY),
        "declared": ("on", TEXT),
    }


def _contract(w):
    return {
        "beneficiary": ("", CHOICE),
        "party_name": ("Công ty TNHH Cơ khí Thái Nguyên", TEXT),
        "number": ("07/2022/HĐ-KC", TEXT),
        "signed_on": ("05/05/2022", DATE),
        "end_date": ("30/11/2022", DATE),
        "value": ("150.000.000", MONEY),
    }


def _disbursement(w):
    return {
        "contract": (w.contract.pk, CHOICE),
        "kind": ("advance", CHOICE),
        "paid_on": ("10/05/2022", DATE),
        "amount": ("100.000.000", MONEY),
        "document_number": ("UNC-12", TEXT),
        "note": ("Tạm ứng đợt 1", TEXT),
    }


def _inspection(w):
    return {
        "inspected_on": ("14/09/2022", DATE),
        "inspectors": ("Trung tâm Khuyến công", TEXT),
        "progress_percent": ("45", NUMBER),
        "findings": ("Đã lắp máy", TEXT),
        "problems": ("Đường vào xã bị sạt lở", TEXT),
        "next_step": ("", TEXT),
        "photos": ([SimpleUploadedFile("hien-truong.png", PNG)], FILE),
    }


def _acceptance(w):
    return {
        "held_on": ("20/11/2022", DATE),
        "committee": ("Sở Công Thương; Trung tâm Khuyến công", TEXT),
        "result": ("passed", CHOICE),
        "accepted_amount": ("280.000.000", MONEY),
        "minutes": (pdf("bien-ban.pdf"), FILE),
        "note": ("", TEXT),
    }


def _plan(w):
    return {
        "year": ("2025", NUMBER),
        "funding_source": (w.local_source.pk, CHOICE),
        "title": ("Kế hoạch khuyến công địa phương năm 2025", TEXT),
        "approving_body": ("UBND tỉnh", TEXT),
        "budget": ("1,63 tỷ", MONEY),
    }


def _plan_edit(w):
    return {**_plan(w), "year": ("2024", NUMBER), "version": (version(w.draft_plan), TEXT)}


def _rule(w):
    return {
        "activity_type": (w.activity.pk, CHOICE),
        "funding_source": (w.local_source.pk, CHOICE),
        "per": ("facility", CHOICE),
        "percent": ("50", NUMBER),
        "cap_amount": ("200.000.000", MONEY),
        "priority_multiplier": ("1.50", NUMBER),
        "valid_from": ("01/01/2024", DATE),
        "valid_to": ("", DATE),
        "legal_text": ("Nghị quyết 12/2023/NQ-HĐND", TEXT),
        "note": ("", TEXT),
    }


def _rule_edit(w):
    rule = w.rule
    return {
        **_rule(w),
        "activity_type": (rule.activity_type_id, CHOICE),
        "funding_source": (rule.funding_source_id, CHOICE),
        "per": (rule.per, CHOICE),
        "version": (version(rule), TEXT),
    }


def _decision(w):
    return {"decision_number": ("88/QĐ-SCT", TEXT), "decision_date": ("01/03/2022", DATE)}


FORMS = [
    Form(
        "facility_create",
        "district_user",
        "beneficiaries:facility_create",
        _facility,
        regressions=[
            # A name that NFC makes twice as long passed the form, then PostgreSQL refused it.
            {"name": ("\u0958" * 200, False)},
            # A Korean name: its search key, decomposed, overflowed its column.
            {"name": ("한" * 200, False)},
            # Control characters were stored, and then broke the .xlsx export.
            {"owner_name": ("Lý\x1bVăn\u202ePáo", False)},
            # "Null characters are not allowed." was Django's English.
            {"products": ("Chè\x00", False)},
        ],
    ),
    Form(
        "facility_edit", "district_user", "beneficiaries:facility_edit", _facility_edit, "facility"
    ),
    Form(
        "request_create",
        "district_user",
        "beneficiaries:request_create",
        _request,
        # int() refused '²' and 5,000 digits with its own English message.
        regressions=[{"total_cost": ("²", True)}, {"support_requested": ("9" * 5000, True)}],
    ),
    Form(
        "request_edit",
        "district_user",
        "beneficiaries:request_edit",
        _request_edit,
        "draft_request",
    ),
    Form(
        "request_reject",
        "officer",
        "beneficiaries:request_transition",
        lambda w: {"reason": ("Trùng nội dung đã hỗ trợ năm 2022.", TEXT)},
        "submitted_request",
        "reject",
        # The reason bypassed its form: NUL reached PostgreSQL (a 500), and 100,000 characters
        # were stored where the form allows 2,000.
        regressions=[{"reason": ("lý do\x00", False)}, {"reason": ("x" * 100_000, False)}],
    ),
    Form(
        "request_document_upload",
        "district_user",
        "beneficiaries:request_document_upload",
        _document,
        "draft_request",
        # A title NFC makes longer than its column was saved unvalidated (a 500).
        regressions=[{"title": ("\u0958" * 200, False)}],
    ),
    Form(
        "facility_document_upload",
        "district_user",
        "beneficiaries:facility_document_upload",
        lambda w: {"title": ("Giấy đăng ký hộ kinh doanh", TEXT), "file": (pdf(), FILE)},
        "facility",
    ),
    Form(
        "scheme_create",
        "officer",
        "schemes:scheme_create",
        _scheme,
        # The year 1 and the year 9999 were taken as dates.
        regressions=[{"start_date": ("01/01/0001", True)}, {"end_date": ("31/12/9999", True)}],
    ),
    Form("scheme_edit", "officer", "schemes:scheme_edit", _scheme_edit, "proposed"),
    Form("item_add", "officer", "schemes:item_add", _item, "proposed"),
    Form("beneficiary_add", "officer", "schemes:beneficiary_add", _beneficiary, "proposed"),
    Form(
        "beneficiary_update", "officer", "schemes:beneficiary_update", _beneficiary_update, "link"
    ),
    Form("contract_add", "officer", "schemes:contract_add", _contract, "approved"),
    Form("disbursement_add", "officer", "schemes:disbursement_add", _disbursement, "in_progress"),
    Form("inspection_add", "officer", "schemes:inspection_add", _inspection, "in_progress"),
    Form("acceptance_add", "officer", "schemes:acceptance_add", _acceptance, "awaiting"),
    Form(
        "scheme_document_add",
        "officer",
        "schemes:document_add",
        lambda w: {**_document(w), "beneficiary": ("", CHOICE)},
        "proposed",
        # '²' as the beneficiary's id reached the database lookup (a 500).
        regressions=[{"beneficiary": ("²", True)}],
    ),
    Form("plan_create", "officer", "plans:plan_create", _plan),
    Form("plan_edit", "officer", "plans:plan_edit", _plan_edit, "draft_plan"),
    Form(
        "plan_builder",
        "officer",
        "plans:plan_builder",
        lambda w: {"pick": ([str(w.builder_request.pk)], CHOICE)},
        "draft_plan",
        # '²' and 5,000 digits reached int() (a 500).
        regressions=[{"pick": ("²", True)}, {"pick": ("9" * 5000, True)}],
    ),
    Form(
        "plan_weights",
        "officer",
        "plans:plan_weights",
        lambda w: {flag: ("2", NUMBER) for flag in SupportRequest.PRIORITY_FLAGS},
        "draft_plan",
    ),
    Form(
        "plan_approve",
        "manager",
        "plans:plan_transition",
        lambda w: {**_decision(w), "approving_body": ("UBND tỉnh Hà Giang", TEXT)},
        "submitted_plan",
        "approve",
        # A decision number or body too long for its column escaped full_clean (a 500).
        regressions=[
            {"decision_number": ("x" * 60, False)},
            {"approving_body": ("y" * 300, False)},
        ],
    ),
    Form(
        "scheme_approve", "manager", "schemes:scheme_transition", _decision, "submitted", "approve"
    ),
    Form(
        "scheme_cancel",
        "manager",
        "schemes:scheme_transition",
        lambda w: {"reason": ("Cơ sở xin rút", TEXT)},
        "proposed",
        "cancel",
    ),
    Form(
        "scheme_settle",
        "officer",
        "schemes:scheme_transition",
        # An empty date settles on today; an unreadable one is refused with a message.
        lambda w: {"settled_on": ("15/12/2022", TEXT)},
        "accepted",
        "settle",
    ),
    Form(
        "report_request",
        "manager",
        "reports:report_request",
        lambda w: {"year": ("2022", NUMBER), "quarter": ("4", CHOICE), "unit": ("", CHOICE)},
    ),
    Form("rule_create", "admin_user", "schemes:rule_create", _rule),
    Form("rule_edit", "admin_user", "schemes:rule_edit", _rule_edit, "rule"),
]


# --- Posting and reading the answer ----------------------------------------------------------


@pytest.fixture
def world(province):
    return World(province)


@pytest.fixture
def clients(request):
    made = {}

    def client_for(role):
        if role not in made:
            made[role] = Client()
            made[role].force_login(request.getfixturevalue(role))
        return made[role]

    return client_for


@contextmanager
def rolled_back():
    """A savepoint undone afterwards: every example starts from the same records."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _bound_forms(context):
    if context is None:
        return []
    found = {}
    for ctx in context if isinstance(context, list) else [context]:
        for layer in ctx.dicts:
            for value in layer.values():
                for item in value.values() if isinstance(value, dict) else [value]:
                    if isinstance(item, BaseForm) and item.is_bound:
                        found[id(item)] = item
    return list(found.values())


@dataclass
class Answer:
    response: object
    saved: bool
    reasons: list  # what the user is told went wrong


def answer_of(response):
    """Saved (a redirect saying so, nothing wrong) or refused (with its reasons). A crash never
    gets here: the test client raises the view's exception, which fails the example."""
    assert response.status_code != 500
    notes = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
    reasons = [text for level, text in notes if level >= messages.ERROR]
    for form in _bound_forms(response.context):
        reasons += [str(e) for errors in form.errors.values() for e in errors]
    if response.status_code in (400, 403, 404):
        reasons += re.findall(r"<h1>(.*?)</h1>", response.content.decode(), re.S)
    done = any(level == messages.SUCCESS for level, _ in notes)
    saved = response.status_code == 302 and done and not reasons
    assert saved or reasons, f"{response.status_code} without a word: {notes}"
    return Answer(response, saved, reasons)


def _payload(valid, changes):
    data = dict(valid)
    for name, (value, _refuse) in changes.items():
        data[name] = (
            [value] if isinstance(data.get(name), list) and isinstance(value, str) else value
        )
    return data


def post(client, url, data):
    client.cookies.pop("messages", None)  # only this answer's messages
    return client.post(url, data)


def check_answer(client, answer, *, before, after, submitted, must_refuse=()):
    """What every answer to hostile input must hold."""
    if answer.saved:
        assert not must_refuse, f"saved what had to be refused: {must_refuse}"
        assert hostile.unclean_text(before, after) == []
        shown = client.get(answer.response.url)
        assert shown.status_code == 200, f"saved, then its page fails: {answer.response.url}"
    else:
        english = [r[:300] for r in answer.reasons if not hostile.is_vietnamese(r, submitted)]
        assert english == [], "reasons must be in Vietnamese"
        assert after == before, "a refusal writes nothing"


# --- Files sent to upload fields ---------------------------------------------------------------

# (content, refused?) — judged by content, never by name
FILE_CONTENTS = [
    (DEMO_PDF, False),
    (PNG, False),
    (b"", True),
    (b"MZ\x90\x00\x03\x00\x00\x00", True),
    (b"<html><script>alert(1)</script></html>", True),
    (b"PK\x03\x04not really a zip", True),
]
FILE_NAMES = st.one_of(
    st.sampled_from(["ho-so.pdf", "../../etc/passwd", "a" * 1000 + ".pdf", "‮fdp.exe", ".pdf"]),
    hostile.hostile_text().map(lambda t: t[:300] + ".pdf"),
)


@st.composite
def hostile_file(draw):
    content, refused = draw(st.sampled_from(FILE_CONTENTS))
    name = draw(FILE_NAMES)
    name = "".join(ch for ch in name if ch not in '\x00\r\n"') or "tep.pdf"  # HTTP header
    return SimpleUploadedFile(name, content), refused


@st.composite
def hostile_input(draw, kinds):
    """hostile.hostile_changes, with hostile files in the file fields."""
    changes = draw(hostile.hostile_changes(kinds))
    for name, kind in kinds.items():
        if kind == "file" and name in changes:
            changes[name] = draw(hostile_file())
    return changes


def _fresh(changes):
    """Uploads are read once: every example gets its own."""
    return {
        name: (SimpleUploadedFile(v.name, v.file.getvalue()) if hasattr(v, "file") else v, r)
        for name, (v, r) in changes.items()
    }


# --- The tests ---------------------------------------------------------------------------------


@pytest.mark.slow  # Hypothesis: many examples per form
@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_hostile_values_never_crash_a_form(form, world, clients):
    url = form.url(world)
    form.payload(world)  # make the records it needs outside the examples' savepoints
    client = clients(form.role)
    with rolled_back():  # the starting point is a payload the form accepts
        before = hostile.snapshot()
        answer = answer_of(post(client, url, form.payload(world)))
        assert answer.saved, answer.reasons
        assert hostile.snapshot() != before

    def check(changes):
        changes = _fresh(changes)
        with rolled_back():
            valid = form.payload(world)
            data = _payload(valid, changes)
            before = hostile.snapshot()
            answer = answer_of(post(client, url, data))
            check_answer(
                client,
                answer,
                before=before,
                after=hostile.snapshot(),
                submitted=[v for v, _ in changes.values() if isinstance(v, str)],
                must_refuse=[name for name, (_, refuse) in changes.items() if refuse],
            )

    check = given(changes=hostile_input(form.kinds(world)))(check)
    for regression in form.regressions:
        check = example(changes=regression)(check)
    HOSTILE(check)()


HOSTILE_NAMES = st.one_of(
    st.sampled_from(["delete", "save", "__init__", "full_clean", "approve ", "APPROVE", "reject/"]),
    hostile.hostile_text().map(lambda t: t[:2000]),
)


@pytest.mark.parametrize(
    "route, obj, role",
    [
        ("beneficiaries:request_transition", "submitted_request", "officer"),
        ("schemes:scheme_transition", "proposed", "manager"),
        ("plans:plan_transition", "draft_plan", "manager"),
    ],
)
def test_hostile_transition_names_are_refused(route, obj, role, world, clients):
    pk = getattr(world, obj).pk
    client = clients(role)
    base = reverse(route, args=[pk, "x"])[: -len("x/")]

    @HOSTILE
    @given(name=HOSTILE_NAMES)
    def check(name):
        with rolled_back():
            before = hostile.snapshot()
            url = base + urllib.parse.quote(name.replace("\x00", ""), safe="") + "/"
            response = post(client, url, {"reason": "x"})
            assert response.status_code in (302, 404)
            if response.status_code == 302:
                answer = answer_of(response)
                assert not answer.saved
                assert all(hostile.is_vietnamese(r, [name]) for r in answer.reasons)
            assert hostile.snapshot() == before

    check()


LISTS = [
    ("beneficiaries:facility_list", "district_user", ("q", "unit", "kind", "sector", "o")),
    ("beneficiaries:request_list", "district_user", ("q", "year", "status", "o", "page")),
    ("beneficiaries:request_review_queue", "officer", ("q", "year", "activity_type", "unit")),
    ("schemes:scheme_list", "officer", ("q", "year", "funding_source", "risk", "plan", "page")),
    ("dashboard", "manager", ("year",)),
]


@pytest.mark.parametrize("route, role, params", LISTS, ids=[r for r, _, _ in LISTS])
def test_hostile_list_filters_never_crash(route, role, params, world, clients):
    assert world.facility and world.in_progress  # something to list
    client = clients(role)
    url = reverse(route)

    @HOSTILE
    @given(
        query=st.dictionaries(
            st.sampled_from(params),
            st.one_of(
                hostile.hostile_text().map(lambda t: t[:3000]), st.sampled_from(hostile.BAD_NUMBERS)
            ),
            min_size=1,
        )
    )
    @example(query={"page": "1" + "0" * 30})  # its offset overflowed bigint: a 500
    def check(query):
        with rolled_back():
            response = client.get(url, query)
        assert response.status_code == 200
        filterset = response.context.get("filter")
        for form in [filterset.form] if filterset else []:
            reasons = [str(e) for errors in form.errors.values() for e in errors]
            assert all(hostile.is_vietnamese(r, query.values()) for r in reasons), reasons

    check()


# --- Spreadsheet imports -----------------------------------------------------------------------

FACILITY_HEADERS = FACILITY_IMPORT_HEADERS  # the template's columns, as the import tests write them
REQUEST_HEADERS = [
    "Mã cơ sở",
    "Tên cơ sở (để đối chiếu)",
    "Năm kế hoạch",
    "Nội dung hỗ trợ",
    "Nội dung đề nghị",
    "Tổng kinh phí (đồng)",
    "Kinh phí đối ứng (đồng)",
    "Đề nghị hỗ trợ (đồng)",
    "Ưu tiên: sản phẩm thế mạnh địa phương",
]
# Columns whose hostile values must be refused on their line.
REFUSED_CELLS = {
    "Số lao động": hostile.BAD_NUMBERS,
    "Năm kế hoạch": hostile.BAD_NUMBERS,
    "Tổng kinh phí (đồng)": hostile.BAD_MONEY,
    "Kinh phí đối ứng (đồng)": hostile.BAD_MONEY,
    "Đề nghị hỗ trợ (đồng)": hostile.BAD_MONEY,
    "Loại hình": ("Hộ gia đình tư nhân", "0", "<script>"),
    "Xã, phường, thị trấn": ("Xã Lũng Cú", "99999", "' OR 1=1 --"),
}
# Cells a sheet can hold besides text: numbers beyond any column, not finite, dates out of
# any range, booleans, and formulas (openpyxl writes a string starting with '=' as one).
ODD_CELLS = st.sampled_from(
    [
        10**30,
        -(2**63),
        2**63,
        -1,
        float("inf"),
        float("nan"),
        1e308,
        0.5,
        True,
        datetime.datetime(1, 1, 1),
        datetime.datetime(9999, 12, 31),
        datetime.date(2024, 2, 29),
        *hostile.FORMULAS,
    ]
)


def _facility_row(w, n):
    return {
        "Mã cơ sở": None,
        "Tên cơ sở": f"Cơ sở chè Tân Quang số {n}",
        "Loại hình": "Hộ kinh doanh",
        "Ngành nghề": w.sector.name,
        "Xã, phường, thị trấn": f"{w.p.commune.code} – {w.p.commune.name}",
        "Địa chỉ": "Thôn Tân Thành",
        "Người đại diện": "Lý Văn Páo",
        "Mã số thuế": "",
        "Điện thoại": "0912345678",
        "Thư điện tử": "",
        "Số lao động": 6,
        "Sản phẩm chính": "Chè",
    }


def _request_row(w, n):
    return {
        "Mã cơ sở": w.facility.pk,
        "Tên cơ sở (để đối chiếu)": w.facility.name,
        "Năm kế hoạch": 2026,
        "Nội dung hỗ trợ": f"{w.activity.code} – {w.activity.name}",
        "Nội dung đề nghị": f"Máy sao chè số {n}",
        "Tổng kinh phí (đồng)": "300.000.000",
        "Kinh phí đối ứng (đồng)": 100 * TR,
        "Đề nghị hỗ trợ (đồng)": "0,1 tỷ",
        "Ưu tiên: sản phẩm thế mạnh địa phương": "Có",
    }


IMPORTS = {
    "facilities": ("beneficiaries:facility_import", FACILITY_HEADERS, _facility_row, Facility),
    "requests": ("beneficiaries:request_import", REQUEST_HEADERS, _request_row, SupportRequest),
}


def xlsx(headers, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row[h] for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@st.composite
def hostile_cells(draw, headers):
    """{column: (value, must_refuse)} for one row."""
    columns = draw(st.lists(st.sampled_from(headers[1:]), min_size=1, max_size=3, unique=True))
    cells = {}
    for column in columns:
        refused = REFUSED_CELLS.get(column)
        choice = draw(st.integers(0, 2 if refused else 1))
        if choice == 2:
            cells[column] = (draw(st.sampled_from(refused)), True)
        elif choice == 1:
            value = draw(ODD_CELLS)
            cells[column] = (value, isinstance(value, str) and value.startswith("="))
        else:
            # A sheet cannot hold XML's forbidden characters: the text as a sheet keeps it.
            text = ILLEGAL_CHARACTERS_RE.sub("", draw(hostile.hostile_text()))[:32_000]
            cells[column] = (text, text.startswith("="))
    return cells


def _preview_reasons(response):
    """What the batch's page says against the file: the refusal of the whole, or each error."""
    result = response.context["result"]
    reasons = [result["refused"]] if "refused" in result else []
    reasons += [message for _line, _column, message in result.get("errors", ())]
    return reasons, result


def run_import(client, kind, content):
    """Upload, preview and confirm a sheet (the worker's part run here); (saved, reasons,
    refused lines)."""
    route, *_ = IMPORTS[kind]
    client.cookies.pop("messages", None)
    upload = client.post(reverse(route), {"file": SimpleUploadedFile("co-so.xlsx", content)})
    assert upload.status_code in (200, 302)
    if upload.status_code == 200:
        return False, [str(e) for e in upload.context["form"].errors["file"]], None
    preview = client.get(upload.url)
    assert preview.status_code == 200
    reasons, result = _preview_reasons(preview)
    lines = None if "refused" in result else {line for line, _c, _m in result["errors"]}
    confirm = client.post(upload.url, follow=True)
    assert confirm.status_code == 200
    if confirm.context["batch"].status == "applied":
        assert not reasons, "the preview refused what confirming wrote"
        return True, [], set()
    confirm_reasons, _ = _preview_reasons(confirm)
    assert confirm_reasons, "a refused import says why"
    return False, reasons + confirm_reasons, lines


def no_formulas(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.mark.slow  # Hypothesis: many spreadsheets
@pytest.mark.parametrize("kind", list(IMPORTS))
def test_hostile_spreadsheet_rows_are_refused_by_line_or_stored_clean(
    kind, world, clients, tasks_here
):
    _route, headers, make_row, _model = IMPORTS[kind]
    make_row(world, 0)
    client = clients("district_user")

    @HOSTILE
    @given(rows=st.lists(hostile_cells(headers), min_size=1, max_size=3))
    def check(rows):
        sheet = []
        refused_lines = set()
        for n, cells in enumerate(rows, start=1):
            row = make_row(world, n)
            row.update({column: value for column, (value, _) in cells.items()})
            sheet.append(row)
            if any(refuse for _, refuse in cells.values()):
                refused_lines.add(n + 1)
        submitted = [v for cells in rows for v, _ in cells.values() if isinstance(v, str)]
        with rolled_back():
            before = hostile.snapshot(exclude=[ImportBatch])
            saved, reasons, lines = run_import(client, kind, xlsx(headers, sheet))
            after = hostile.snapshot(exclude=[ImportBatch])
            if saved:
                assert not refused_lines, f"lines {refused_lines} had to be refused"
                assert hostile.unclean_text(before, after) == []
                if kind == "facilities":
                    export = client.get(reverse("beneficiaries:facility_export"))
                    assert no_formulas(export.content) == []
            else:
                assert after == before, "nothing is written from a sheet with a bad line"
                assert all(hostile.is_vietnamese(r, submitted) for r in reasons), reasons
                if lines is not None:
                    assert refused_lines <= lines, "each bad line is named"

    check()


def _patched(content, member, old, new):
    """The .xlsx with `old` replaced by `new` in one of its XML parts: what no spreadsheet
    program writes, but a hand-made file can hold."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == member:
                assert old in data
                data = data.replace(old, new)
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "old, new",
    [
        (b"<t>L\xc3\xbd V\xc4\x83n P\xc3\xa1o</t>", b"<t>L\x00</t>"),  # NUL in the sheet's XML
        (b"<t>L\xc3\xbd V\xc4\x83n P\xc3\xa1o</t>", b"<t>L&#27;</t>"),  # ESC as a reference
        (b"<v>6</v>", b"<v>abc</v>"),  # a number cell holding text
        (b"<v>6</v>", b"<v>1e99999</v>"),
    ],
)
def test_a_hand_made_sheet_with_forbidden_characters_is_refused_in_vietnamese(
    world, clients, old, new, tasks_here
):
    # These broke the reading of rows, which openpyxl's read-only mode does after opening the
    # file, outside the handling of damaged files: a 500.
    content = _patched(
        xlsx(FACILITY_HEADERS, [_facility_row(world, 1)]), "xl/worksheets/sheet1.xml", old, new
    )
    before = hostile.snapshot(exclude=[ImportBatch])
    saved, reasons, _lines = run_import(clients("district_user"), "facilities", content)
    assert not saved and reasons
    assert all(hostile.is_vietnamese(r) for r in reasons), reasons
    assert hostile.snapshot(exclude=[ImportBatch]) == before


def test_formula_text_saved_by_a_form_is_exported_as_text(world, clients):
    client = clients("district_user")
    for n, text in enumerate(hostile.FORMULAS):
        data = {**values(_facility(world)), "name": f"{text} {n}", "owner_name": text}
        assert answer_of(post(client, reverse("beneficiaries:facility_create"), data)).saved
    export = client.get(reverse("beneficiaries:facility_export"))
    assert no_formulas(export.content) == []
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    owners = {row[6] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert "'=CMD|' /C calc'!A0" in owners  # kept, visibly, as text


def test_formula_text_in_a_scheme_is_exported_as_text(world, clients):
    client = clients("officer")
    for n, text in enumerate(hostile.FORMULAS):
        data = {**values(_scheme(world)), "code": f"F-{n}", "title": text}
        assert answer_of(post(client, reverse("schemes:scheme_create"), data)).saved
    export = client.get(reverse("plans:plan_export_xlsx", args=[world.plan.pk]))
    assert export.status_code == 200
    assert no_formulas(export.content) == []
