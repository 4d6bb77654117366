"""The Django admin is no way around the services: money records and life-cycle states are only
seen there, and a forged write saves nothing, while the reference lists stay editable.
(tests/test_permissions.py walks every admin page for every role; here, the administrator's
forged writes, each one that the portal's services refuse.)"""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from beneficiaries.models import DocumentKind, Facility, PriorityWeight, Sector, SupportRequest
from khuyencong.models import ActivityType, AdministrativeUnit, FundingSource, User
from reports.models import QuarterlyReport
from schemes import caps, services
from schemes.models import (
    Acceptance,
    AcceptanceWaiver,
    Contract,
    Disbursement,
    Inspection,
    Plan,
    RuleException,
    Scheme,
    SchemeBeneficiary,
    SchemeItem,
    SupportRule,
)
from schemes.reference import ensure_support_rules
from tests import factories as f

pytestmark = pytest.mark.django_db

TR = 1_000_000
READ_ONLY = [
    Plan,
    Scheme,
    SchemeItem,
    SchemeBeneficiary,
    Contract,
    Disbursement,
    Inspection,
    Acceptance,
    SupportRule,
    RuleException,
    AcceptanceWaiver,
    SupportRequest,
    QuarterlyReport,
]
REFERENCE_LISTS = [
    ActivityType,
    FundingSource,
    AdministrativeUnit,
    User,
    Sector,
    DocumentKind,
    PriorityWeight,
    Facility,
]


def _url(model, page, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{page}", args=args)


def _note(model):
    return admin.site._registry[model].portal_note


@pytest.fixture
def records(province):
    """A national machinery scheme of Bắc Quang under way: one facility with its item, contract
    (150 tr) and a first advance (50 tr); one record of every other read-only model."""
    activity = f.ActivityTypeFactory()  # 03.3: ≤ 50 % of the cost and ≤ 200 tr per facility
    plan = f.PlanFactory(unit=province.province, funding_source=f.FundingSourceFactory())
    ensure_support_rules()
    scheme = f.SchemeFactory(
        plan=plan,
        unit=province.district,
        activity_type=activity,
        budget=900 * TR,
        status=Scheme.Status.IN_PROGRESS,
        approval_number="15/QĐ-SCT",
        approval_date=datetime.date(2022, 3, 15),
    )
    facility = f.FacilityFactory(unit=province.commune)
    beneficiary = f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=facility, support_amount=150 * TR, counterpart_amount=150 * TR
    )
    item = f.SchemeItemFactory(
        scheme=scheme, activity_type=activity, support_amount=150 * TR, counterpart_amount=150 * TR
    )
    contract = f.ContractFactory(scheme=scheme, beneficiary=beneficiary, value=150 * TR)
    rule = SupportRule.objects.get(activity_type=activity, funding_source=plan.funding_source)
    rule.save()  # seeded by a migration: saved, it has a past version to show
    # Seeded by migrations, but gone from a database that a transactional test has flushed.
    kind, _ = DocumentKind.objects.get_or_create(code="KHAC", defaults={"name": "Tài liệu khác"})
    weight, _ = PriorityWeight.objects.get_or_create(flag=SupportRequest.PRIORITY_FLAGS[0])
    return {
        Plan: plan,
        Scheme: scheme,
        SchemeItem: item,
        SchemeBeneficiary: beneficiary,
        Contract: contract,
        Disbursement: f.DisbursementFactory(contract=contract, amount=50 * TR),
        Inspection: f.InspectionFactory(scheme=scheme),
        Acceptance: f.AcceptanceFactory(scheme=scheme, accepted_amount=100 * TR),
        SupportRule: rule,
        RuleException: RuleException.objects.create(
            scheme=scheme, item=item, rule=rule, allowed_amount=1, granted_amount=2, reason="Lũ"
        ),
        AcceptanceWaiver: AcceptanceWaiver.objects.create(
            scheme=scheme, gates=["progress"], reason="Đường sạt lở, nghiệm thu tại chỗ"
        ),
        SupportRequest: f.SupportRequestFactory(facility=facility),
        QuarterlyReport: f.QuarterlyReportFactory(unit=province.province, status="failed"),
        ActivityType: activity,
        FundingSource: plan.funding_source,
        AdministrativeUnit: province.district,
        User: f.UserFactory(unit=province.district),
        Sector: facility.sector,
        DocumentKind: kind,
        PriorityWeight: weight,
        Facility: facility,
    }


@pytest.fixture
def as_admin(login, admin_user):
    return login(admin_user)


def _counts():
    return {model: model.objects.count() for model in READ_ONLY}


# --- money records and life cycles: seen, never written --------------------------------------


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m._meta.label)
def test_the_admin_refuses_to_add_or_delete_a_money_record(records, as_admin, model):
    obj = records[model]
    before = _counts()
    for url in (_url(model, "add"), _url(model, "delete", obj.pk)):
        assert as_admin.get(url).status_code == 403, url
        assert as_admin.post(url, {"post": "yes"}).status_code == 403, url
    assert _counts() == before


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m._meta.label)
def test_a_money_record_s_page_shows_it_read_only_and_says_where_it_is_changed(
    records, as_admin, model
):
    obj = records[model]
    page = as_admin.get(_url(model, "change", obj.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert not [f.name for f in model._meta.fields if f'name="{f.name}"' in page.text]
    assert _note(model) in page.text
    past = obj.history.latest("history_id").history_id
    version = as_admin.get(_url(model, "simple_history", obj.pk, past))
    assert version.status_code == 200 and 'name="_save"' not in version.text


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m._meta.label)
def test_a_money_list_still_opens_read_only(records, as_admin, model):
    listed = as_admin.get(_url(model, "changelist"), {"q": "a"})
    assert listed.status_code == 200
    assert _note(model) in listed.text
    assert _url(model, "add") not in listed.text
    assert 'name="action"' not in listed.text  # not even "delete the selected ones"
    assert _url(model, "add") not in as_admin.get(reverse("admin:index")).text


def test_a_forged_beneficiary_saves_nothing(records, as_admin, officer, province):
    """300 tr for one more facility, more than the 200 tr a machinery cap allows one, without
    its declaration, into a scheme under way: its facilities were fixed by approval."""
    scheme, facility = records[Scheme], f.FacilityFactory(unit=province.commune)
    with pytest.raises(services.RuleBroken):
        services.beneficiary_add(
            scheme=scheme, facility=facility, user=officer, support_amount=300 * TR, declared=False
        )
    forged = {
        "scheme": scheme.pk,
        "facility": facility.pk,
        "support_amount": "300.000.000",
        "counterpart_amount": "0",
        "_save": "Lưu",
    }
    assert as_admin.post(_url(SchemeBeneficiary, "add"), forged).status_code == 403
    assert not scheme.beneficiaries.filter(facility=facility).exists()


def test_a_forged_item_above_its_support_cap_saves_nothing(records, as_admin):
    scheme = records[Scheme]
    Scheme.objects.filter(pk=scheme.pk).update(status=Scheme.Status.PROPOSED)  # items open
    over = caps.breach(
        scheme, activity_type=scheme.activity_type, support_amount=100 * TR, counterpart=0
    )
    assert over is not None  # 250 tr of items for one facility, whose cap is 200 tr
    forged = {
        "scheme": scheme.pk,
        "activity_type": scheme.activity_type.pk,
        "description": "Máy đóng gói",
        "support_amount": "100.000.000",
        "counterpart_amount": "0",
        "_save": "Lưu",
    }
    assert as_admin.post(_url(SchemeItem, "add"), forged).status_code == 403
    # …nor as a row of the scheme's own page.
    inline = {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        **{f"items-0-{name}": value for name, value in forged.items() if name != "_save"},
        "beneficiaries-TOTAL_FORMS": "0",
        "beneficiaries-INITIAL_FORMS": "0",
        "_save": "Lưu",
    }
    assert as_admin.post(_url(Scheme, "change", scheme.pk), inline).status_code == 403
    assert scheme.items.count() == 1


@pytest.mark.parametrize(
    "amount, refusal",
    [
        (60 * TR, "tối đa 70 %"),  # 110 tr of 150 tr before acceptance; 105 tr allowed
        (110 * TR, "vượt giá trị hợp đồng"),  # 160 tr paid on a contract of 150 tr
    ],
    ids=["above the 70 % before acceptance", "beyond the contract's value"],
)
def test_a_forged_payment_saves_nothing(records, as_admin, officer, amount, refusal):
    contract = records[Contract]
    if refusal == "vượt giá trị hợp đồng":
        Scheme.objects.filter(pk=contract.scheme_id).update(status=Scheme.Status.ACCEPTED)
    with pytest.raises(services.RuleBroken, match=refusal):
        services.disbursement_record(
            contract=contract,
            user=officer,
            kind=Disbursement.Kind.PAYMENT,
            paid_on=datetime.date(2022, 6, 1),
            amount=amount,
        )
    row = {
        "contract": contract.pk,
        "kind": Disbursement.Kind.PAYMENT,
        "paid_on": "01/06/2022",
        "amount": f"{amount}",
    }
    assert as_admin.post(_url(Disbursement, "add"), {**row, "_save": "Lưu"}).status_code == 403
    # …nor as a row of the contract's page, nor by raising the first advance.
    inline = {
        "disbursements-TOTAL_FORMS": "1",
        "disbursements-INITIAL_FORMS": "0",
        **{f"disbursements-0-{name}": value for name, value in row.items()},
        "_save": "Lưu",
    }
    assert as_admin.post(_url(Contract, "change", contract.pk), inline).status_code == 403
    first = records[Disbursement]
    raised = {**row, "amount": f"{50 * TR + amount}", "_save": "Lưu"}
    assert as_admin.post(_url(Disbursement, "change", first.pk), raised).status_code == 403
    assert list(contract.disbursements.values_list("amount", flat=True)) == [50 * TR]


def test_a_past_version_posted_back_saves_nothing(records, as_admin):
    """django-simple-history's page of a past version saves what is posted to it (a revert)
    for whoever may see the record: refused here, whatever the amount posted."""
    first = records[Disbursement]
    past = first.history.latest("history_id").history_id
    forged = {
        "contract": first.contract_id,
        "kind": Disbursement.Kind.ADVANCE,
        "paid_on": "10/05/2022",
        "amount": "140.000.000",  # 93 % of the contract before acceptance
        "_save": "Lưu",
    }
    url = _url(Disbursement, "simple_history", first.pk, past)
    assert as_admin.post(url, forged).status_code == 403
    first.refresh_from_db()
    assert first.amount == 50 * TR
    assert first.history.count() == 1


def test_no_status_is_set_by_hand(records, as_admin):
    """A scheme is accepted, a plan approved and a request included only by their life-cycle
    steps, each checked (khuyencong/workflow.py); the admin posts none of them."""
    scheme, plan, request = records[Scheme], records[Plan], records[SupportRequest]
    forged = [
        (_url(Scheme, "change", scheme.pk), {"status": "accepted", "budget": "2.000.000.000"}),
        (_url(Plan, "change", plan.pk), {"status": "draft", "budget": "1"}),
        (
            _url(SupportRequest, "change", request.pk),
            {"status": "included", "support_requested": "900.000.000"},
        ),
    ]
    for url, data in forged:
        assert as_admin.post(url, {**data, "_save": "Lưu"}).status_code == 403, url
    for obj in (scheme, plan, request):
        obj.refresh_from_db()
    assert (scheme.status, scheme.budget) == (Scheme.Status.IN_PROGRESS, 900 * TR)
    assert (plan.status, plan.budget) == (Plan.Status.APPROVED, 1_200_000_000)
    assert (request.status, request.support_requested) == (SupportRequest.Status.DRAFT, 150 * TR)


# --- reference lists: still kept in the admin ------------------------------------------------


@pytest.mark.parametrize("model", REFERENCE_LISTS, ids=lambda m: m._meta.label)
def test_a_reference_list_is_still_kept_in_the_admin(records, as_admin, model):
    assert as_admin.get(_url(model, "changelist")).status_code == 200
    assert as_admin.get(_url(model, "add")).status_code == 200
    page = as_admin.get(_url(model, "change", records[model].pk))
    assert page.status_code == 200 and 'name="_save"' in page.text


def test_an_activity_type_is_still_renamed_in_the_admin(records, as_admin):
    activity = records[ActivityType]
    renamed = {"code": activity.code, "name": "Ứng dụng máy móc tiên tiến", "order": "0"}
    renamed["is_active"] = "on"
    answer = as_admin.post(_url(ActivityType, "change", activity.pk), {**renamed, "_save": "Lưu"})
    assert answer.status_code == 302
    activity.refresh_from_db()
    assert activity.name == "Ứng dụng máy móc tiên tiến"


def test_staff_who_may_only_see_a_reference_list_cannot_revert_it(client):
    """The same page on an editable list: a past version is saved only for whoever may change
    the record, not for a member of staff allowed to look."""
    from django.contrib.auth.models import Permission

    kind = f.ActivityTypeFactory(name="Tên cũ")
    kind.name = "Tên mới"
    kind.save()
    viewer = f.UserFactory(role=User.Role.ADMIN, unit=None, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_activitytype"))
    client.force_login(viewer)
    past = kind.history.earliest("history_id").history_id
    url = _url(ActivityType, "simple_history", kind.pk, past)
    assert client.get(url).status_code == 200
    posted = {"code": kind.code, "name": "Tên cũ", "order": 0, "_save": "Lưu"}
    assert client.post(url, posted).status_code == 403
    kind.refresh_from_db()
    assert kind.name == "Tên mới"
