"""No fact in the future: a payment, a contract signature, an inspection, an acceptance, a decision
dated after today is refused with a Vietnamese message, wherever it is written — the scheme's
pages, the life-cycle steps, the services, any form built from the model — while a plan may
still be *for* next year and planned dates may lie ahead."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.urls import reverse

from khuyencong.dates import format_date_vn, today
from khuyencong.saving import RuleBroken
from khuyencong.workflow import TransitionRefused
from sampledata.demo import DEMO_PDF
from schemes import services
from schemes.models import Acceptance, Contract, Disbursement, Inspection, Plan, Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db
TR = 1_000_000
DAY = datetime.timedelta(days=1)


def _vn(day):
    return format_date_vn(day)


def refused(label):
    return f"{label} không thể sau hôm nay ({_vn(today())})."


@pytest.fixture
def plan(province):
    year = today().year
    return f.PlanFactory(
        unit=province.province,
        year=year,
        title=f"Kế hoạch khuyến công năm {year}",
        decision_date=datetime.date(year, 1, 10),
    )


def _scheme(plan, province, status):
    year = plan.year
    return f.SchemeFactory(
        plan=plan,
        unit=province.district,
        status=status,
        approval_number="" if status == "proposed" else "12/QĐ-SCT",
        approval_date=None if status == "proposed" else datetime.date(year, 1, 20),
        start_date=datetime.date(year, 1, 1),
        end_date=datetime.date(year + 1, 6, 30),  # planned: may lie ahead
        budget=300 * TR,
    )


@pytest.fixture
def scheme(plan, province):
    return _scheme(plan, province, "in_progress")


@pytest.fixture
def contract(scheme):
    return f.ContractFactory(
        scheme=scheme,
        number="01/HĐ",
        value=200 * TR,
        signed_on=datetime.date(scheme.plan.year, 1, 5),
    )


def _url(name, obj):
    return reverse(f"schemes:{name}", args=[obj.pk])


def _post(client, name, scheme, data):
    return client.post(_url(name, scheme), data, follow=True)


def test_a_payment_dated_tomorrow_is_refused_on_the_scheme_page_and_today_accepted(
    login, officer, scheme, contract
):
    client = login(officer)
    data = {"contract": contract.pk, "kind": "advance", "amount": "10.000.000"}
    response = _post(client, "disbursement_add", scheme, {**data, "paid_on": _vn(today() + DAY)})
    assert refused("Ngày chi") in response.text
    assert not Disbursement.objects.exists()
    _post(client, "disbursement_add", scheme, {**data, "paid_on": _vn(today())})
    assert Disbursement.objects.get().paid_on == today()


def test_an_inspection_dated_tomorrow_is_refused_and_today_accepted(login, officer, scheme):
    client = login(officer)
    data = {"inspectors": "Trung tâm Khuyến công", "progress_percent": "40"}
    response = _post(client, "inspection_add", scheme, {**data, "inspected_on": _vn(today() + DAY)})
    assert refused("Ngày kiểm tra") in response.text
    assert not Inspection.objects.exists()
    _post(client, "inspection_add", scheme, {**data, "inspected_on": _vn(today())})
    assert Inspection.objects.get().inspected_on == today()


def test_an_acceptance_dated_tomorrow_is_refused_and_today_accepted(login, officer, plan, province):
    scheme = _scheme(plan, province, "awaiting_acceptance")
    client = login(officer)

    def data(day):
        return {
            "held_on": _vn(day),
            "committee": "Sở Công Thương; Trung tâm Khuyến công",
            "result": "passed",
            "accepted_amount": "280.000.000",
            "minutes": SimpleUploadedFile("bien-ban.pdf", DEMO_PDF),
        }

    response = _post(client, "acceptance_add", scheme, data(today() + DAY))
    assert refused("Ngày nghiệm thu") in response.text
    assert not Acceptance.objects.exists()
    _post(client, "acceptance_add", scheme, data(today()))
    assert Acceptance.objects.get().held_on == today()


def test_a_contract_signed_tomorrow_is_refused_and_today_accepted_with_a_later_end(
    login, officer, scheme
):
    client = login(officer)
    data = {
        "party_name": "Công ty TNHH Cơ khí Tuyên Quang",
        "number": "05/HĐ",
        "value": "90.000.000",
        "end_date": _vn(today() + 90 * DAY),  # a term, not a fact: may lie ahead
    }
    response = _post(client, "contract_add", scheme, {**data, "signed_on": _vn(today() + DAY)})
    assert refused("Ngày ký") in response.text
    assert not Contract.objects.exists()
    _post(client, "contract_add", scheme, {**data, "signed_on": _vn(today())})
    assert Contract.objects.get().signed_on == today()


def test_a_steps_decision_dated_tomorrow_is_refused_on_the_page_and_today_accepted(
    login, manager, plan, province
):
    scheme = f.submitted(_scheme(plan, province, "proposed"))
    client = login(manager)
    url = reverse("schemes:scheme_transition", args=[scheme.pk, "approve"])
    tomorrow = {"decision_number": "7/QĐ-SCT", "decision_date": _vn(today() + DAY)}
    response = client.post(url, tomorrow, follow=True)
    assert refused("Ngày quyết định") in response.text
    scheme.refresh_from_db()
    assert scheme.status == "submitted" and scheme.approval_date is None
    client.post(url, {**tomorrow, "decision_date": _vn(today())}, follow=True)
    scheme.refresh_from_db()
    assert scheme.status == "approved" and scheme.approval_date == today()


def test_a_plan_for_next_year_is_approved_today_but_not_by_a_decision_of_tomorrow(
    province, manager
):
    next_year = f.PlanFactory(
        unit=province.province,
        year=today().year + 1,
        status="submitted",
        decision_number="",
        decision_date=None,
    )
    f.SchemeFactory(plan=next_year, budget=100 * TR)
    approve = {"plan_id": next_year.pk, "name": "approve", "user": manager}
    decision = {"decision_number": "312/QĐ-UBND", "approving_body": "UBND tỉnh"}
    with pytest.raises(TransitionRefused, match=re.escape(refused("Ngày quyết định"))):
        services.plan_transition(**approve, **decision, decision_date=today() + DAY)
    approved = services.plan_transition(**approve, **decision, decision_date=today())
    assert approved.status == Plan.Status.APPROVED and approved.decision_date == today()


def test_a_settlement_dated_tomorrow_is_refused(plan, province, officer):
    scheme = _scheme(plan, province, "accepted")
    with pytest.raises(TransitionRefused, match="Ngày quyết toán không thể sau hôm nay"):
        services.scheme_transition(
            scheme_id=scheme.pk, name="settle", user=officer, settled_on=today() + DAY
        )
    assert Scheme.objects.get(pk=scheme.pk).status == "accepted"


def test_the_services_refuse_a_payment_of_tomorrow(officer, contract):
    with pytest.raises(RuleBroken, match=re.escape(refused("Ngày chi"))):
        services.disbursement_record(
            contract=contract, user=officer, kind="advance", paid_on=today() + DAY, amount=TR
        )
    assert not Disbursement.objects.exists()


def test_a_step_on_a_record_dated_in_the_future_says_what_to_correct(plan, province, officer):
    scheme = _scheme(plan, province, "contracted")
    Scheme.objects.filter(pk=scheme.pk).update(approval_date=today() + DAY)  # an old record
    with pytest.raises(TransitionRefused) as refusal:
        services.scheme_transition(scheme_id=scheme.pk, name="start", user=officer)
    assert str(refusal.value) == refused("Ngày phê duyệt")  # said once, not "Ngày …: Ngày …"
    assert Scheme.objects.get(pk=scheme.pk).status == "contracted"


FACTS = [
    (f.PlanFactory, "decision_date", "Ngày quyết định"),
    (f.SchemeFactory, "approval_date", "Ngày phê duyệt"),
    (f.SchemeFactory, "settled_on", "Ngày quyết toán"),
    (f.ContractFactory, "signed_on", "Ngày ký"),
    (f.ContractFactory, "closed_on", "Ngày thanh lý"),
    (f.DisbursementFactory, "paid_on", "Ngày chi"),
    (f.InspectionFactory, "inspected_on", "Ngày kiểm tra"),
    (f.AcceptanceFactory, "held_on", "Ngày nghiệm thu"),
]


@pytest.mark.parametrize(("factory", "field", "label"), FACTS)
def test_every_fact_date_is_refused_by_the_model_itself(province, factory, field, label):
    record = factory()
    setattr(record, field, today() + DAY)
    with pytest.raises(Exception) as error:
        record.full_clean()
    assert error.value.message_dict[field] == [refused(label)]
    setattr(record, field, today())
    record.full_clean()


def test_any_form_of_the_model_refuses_it_and_the_admin_does_not_write_it(
    client, admin_user, contract
):
    # A form built from the model, as the admin builds its forms, runs the model's checks.
    form_class = modelform_factory(Disbursement, fields=["contract", "kind", "paid_on", "amount"])
    data = {"contract": contract.pk, "kind": "advance", "amount": TR}
    form = form_class(data={**data, "paid_on": today() + DAY})
    assert not form.is_valid()
    assert form.errors["paid_on"] == [refused("Ngày chi")]
    assert form_class(data={**data, "paid_on": today()}).is_valid()
    # The admin keeps the scheme's records read-only, for the superuser too.
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:schemes_disbursement_add"),
        {**data, "paid_on": (today() + DAY).isoformat()},
    )
    assert response.status_code == 403
    assert not Disbursement.objects.exists()
