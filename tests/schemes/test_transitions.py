"""Every step of the scheme and plan life cycles, allowed and refused by role and by
precondition, the windows in which each kind of record may be written, and how the transition
page tells a refusal."""

import datetime

import pytest
from django.urls import reverse

from beneficiaries.models import DocumentKind
from khuyencong.workflow import TransitionRefused
from schemes import services
from schemes.models import Plan, Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db
TR = 1_000_000
DECIDED = {"approval_number": "12/QĐ-SCT", "approval_date": datetime.date(2022, 3, 1)}
ARGS = {
    "approve": {"decision_number": "101/QĐ-SCT", "decision_date": datetime.date(2022, 3, 10)},
    "cancel": {"reason": "Cơ sở xin rút"},
    "send_back": {"reason": "Bổ sung thuyết minh"},
}


def _scheme_at(province, status, **extra):
    """A scheme of the district, already at `status` with what the next step needs: its item
    equal to its budget, a contract, the work done (inspected at 100 %), its dossier …"""
    decided = DECIDED if status not in ("proposed", "submitted") else {}
    plan = Plan.objects.filter(unit=province.province).first()
    scheme = f.SchemeFactory(
        plan=plan or f.PlanFactory(unit=province.province),
        unit=province.district,
        status=status,
        budget=200 * TR,
        counterpart_budget=200 * TR,  # the cap of machinery: half the cost
        **decided,
        **extra,
    )
    f.SchemeItemFactory(
        scheme=scheme,
        activity_type=scheme.activity_type,
        support_amount=scheme.budget,
        counterpart_amount=scheme.counterpart_budget,
    )
    if status == "in_progress":
        f.InspectionFactory(scheme=scheme, progress_percent=100)
        for kind in DocumentKind.objects.required_for(scheme.activity_type, "scheme"):
            f.SchemeDocumentFactory(scheme=scheme, kind=kind)
    if status in ("approved", "contracted", "in_progress", "awaiting_acceptance", "accepted"):
        contract = f.ContractFactory(scheme=scheme, value=200 * TR)
    if status in ("awaiting_acceptance", "accepted"):
        f.AcceptanceFactory(scheme=scheme, accepted_amount=200 * TR)
        for kind in DocumentKind.objects.required_for(scheme.activity_type, "scheme"):
            f.SchemeDocumentFactory(scheme=scheme, kind=kind)
    if status == "accepted":
        f.DisbursementFactory(contract=contract, amount=150 * TR)
    return scheme


# transition, status it starts from, status it reaches, the role that may run it
STEPS = [
    ("submit", "proposed", "submitted", "officer"),
    ("send_back", "submitted", "proposed", "manager"),
    ("approve", "submitted", "approved", "manager"),
    ("mark_contracted", "approved", "contracted", "officer"),
    ("start", "contracted", "in_progress", "officer"),
    ("request_acceptance", "in_progress", "awaiting_acceptance", "officer"),
    ("accept", "awaiting_acceptance", "accepted", "manager"),
    ("settle", "accepted", "settled", "officer"),
    ("cancel", "in_progress", "cancelled", "manager"),
]
ROLES = ["district_user", "officer", "manager", "admin_user"]


@pytest.mark.parametrize(("name", "source", "target", "role"), STEPS)
@pytest.mark.parametrize("who", ROLES)
def test_each_step_by_each_role(request, province, name, source, target, role, who):
    scheme = _scheme_at(province, source)
    user = request.getfixturevalue(who)
    allowed = who == "admin_user" or who == role
    if allowed:
        moved = services.scheme_transition(
            scheme_id=scheme.pk, name=name, user=user, **ARGS.get(name, {})
        )
        assert moved.status == target
        assert moved.history.first().history_user == user
    else:
        with pytest.raises(TransitionRefused, match="Bạn không có quyền"):
            services.scheme_transition(
                scheme_id=scheme.pk, name=name, user=user, **ARGS.get(name, {})
            )
        scheme.refresh_from_db()
        assert scheme.status == source


@pytest.mark.parametrize(("name", "source", "target", "role"), STEPS)
def test_no_step_runs_from_the_wrong_status(request, province, name, source, target, role):
    wrong = "settled" if source != "settled" else "proposed"
    scheme = _scheme_at(province, wrong)
    user = request.getfixturevalue(role)
    with pytest.raises(TransitionRefused, match=r"Không thể .* khi đang ở trạng thái"):
        services.scheme_transition(scheme_id=scheme.pk, name=name, user=user, **ARGS.get(name, {}))


def test_approval_keeps_its_decision_and_names_the_step_in_the_history(province, manager):
    scheme = _scheme_at(province, "submitted")
    approved = services.scheme_transition(
        scheme_id=scheme.pk, name="approve", user=manager, **ARGS["approve"]
    )
    assert approved.approval_number == "101/QĐ-SCT"
    assert approved.approval_date == datetime.date(2022, 3, 10)
    assert approved.history.first().history_change_reason == "Phê duyệt"


def test_approving_twice_is_refused_and_written_once(province, manager):
    scheme = _scheme_at(province, "submitted")
    approve = {"scheme_id": scheme.pk, "name": "approve", "user": manager, **ARGS["approve"]}
    services.scheme_transition(**approve)
    with pytest.raises(TransitionRefused, match="Đã phê duyệt"):
        services.scheme_transition(**approve)
    assert scheme.history.count() == 2  # created (submitted), approved once


def test_cancelling_needs_a_reason(province, manager):
    scheme = _scheme_at(province, "proposed")
    with pytest.raises(TransitionRefused, match="lý do"):
        services.scheme_transition(scheme_id=scheme.pk, name="cancel", user=manager, reason=" ")
    scheme.refresh_from_db()
    assert scheme.status == "proposed"


def test_approval_needs_the_plan_approved(province, manager):
    scheme = _scheme_at(province, "submitted")
    Plan.objects.filter(pk=scheme.plan_id).update(
        status="draft", decision_number="", decision_date=None
    )
    with pytest.raises(TransitionRefused, match="Kế hoạch của đề án chưa được phê duyệt"):
        services.scheme_transition(
            scheme_id=scheme.pk, name="approve", user=manager, **ARGS["approve"]
        )


def test_approval_needs_a_budget(province, manager):
    scheme = _scheme_at(province, "submitted")
    Scheme.objects.filter(pk=scheme.pk).update(budget=0)
    with pytest.raises(TransitionRefused, match="chưa có kinh phí"):
        services.scheme_transition(
            scheme_id=scheme.pk, name="approve", user=manager, **ARGS["approve"]
        )


def test_contracted_needs_a_contract(province, officer):
    scheme = _scheme_at(province, "approved")
    scheme.contracts.all().delete()
    with pytest.raises(TransitionRefused, match="Chưa có hợp đồng"):
        services.scheme_transition(scheme_id=scheme.pk, name="mark_contracted", user=officer)


def test_acceptance_needs_a_passed_review(province, manager):
    scheme = _scheme_at(province, "awaiting_acceptance")
    scheme.acceptances.update(result="failed", accepted_amount=0)
    with pytest.raises(TransitionRefused, match="Chưa có biên bản nghiệm thu đạt"):
        services.scheme_transition(scheme_id=scheme.pk, name="accept", user=manager)
    scheme.acceptances.all().delete()
    with pytest.raises(TransitionRefused, match="Chưa có biên bản nghiệm thu đạt"):
        services.scheme_transition(scheme_id=scheme.pk, name="accept", user=manager)


def test_acceptance_needs_a_complete_dossier(province, manager):
    scheme = _scheme_at(province, "awaiting_acceptance")
    link = f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=f.FacilityFactory(unit=province.commune), support_amount=TR
    )
    with pytest.raises(TransitionRefused, match="còn thiếu tài liệu bắt buộc"):
        services.scheme_transition(scheme_id=scheme.pk, name="accept", user=manager)
    for kind in DocumentKind.objects.required_for(scheme.activity_type, "beneficiary"):
        f.SchemeDocumentFactory(scheme=scheme, beneficiary=link, kind=kind)
    accepted = services.scheme_transition(scheme_id=scheme.pk, name="accept", user=manager)
    assert accepted.status == "accepted"


def test_the_services_take_a_scheme_from_proposal_to_acceptance(province, manager, officer):
    """The records each step needs, written by the services rather than by factories."""
    scheme = _scheme_at(province, "proposed")
    services.scheme_transition(scheme_id=scheme.pk, name="submit", user=officer)
    services.scheme_transition(scheme_id=scheme.pk, name="approve", user=manager, **ARGS["approve"])
    _contract(scheme, officer, value=200 * TR)
    for step in ("mark_contracted", "start"):
        services.scheme_transition(scheme_id=scheme.pk, name=step, user=officer)
    services.inspection_record(
        scheme=scheme,
        user=officer,
        inspected_on=datetime.date(2022, 11, 1),
        inspectors="Trung tâm Khuyến công",
        progress_percent=100,
    )
    for kind in DocumentKind.objects.required_for(scheme.activity_type, "scheme"):
        f.SchemeDocumentFactory(scheme=scheme, kind=kind)
    services.scheme_transition(scheme_id=scheme.pk, name="request_acceptance", user=officer)
    services.acceptance_record(
        scheme=scheme,
        user=officer,
        held_on=datetime.date(2022, 11, 20),
        committee="Hội đồng",
        result="passed",
        accepted_amount=scheme.budget,
    )
    accepted = services.scheme_transition(scheme_id=scheme.pk, name="accept", user=manager)
    assert accepted.status == "accepted"


def test_settlement_needs_payments_within_the_accepted_amount(province, officer):
    scheme = _scheme_at(province, "accepted")
    scheme.acceptances.update(accepted_amount=100 * TR)  # 150 tr already paid
    with pytest.raises(TransitionRefused, match="đã chi vượt kinh phí nghiệm thu"):
        services.scheme_transition(scheme_id=scheme.pk, name="settle", user=officer)


def test_settlement_records_its_date(province, officer):
    scheme = _scheme_at(province, "accepted")
    day = datetime.date(2022, 12, 20)
    settled = services.scheme_transition(
        scheme_id=scheme.pk, name="settle", user=officer, settled_on=day
    )
    assert settled.settled_on == day


# Plans


@pytest.fixture
def draft_plan(province):
    return f.PlanFactory(
        unit=province.province, status="draft", decision_number="", decision_date=None
    )


def _approve_plan(plan, user, **extra):
    """The plan submitted by an officer if still a draft, then approved by `user`."""
    plan.refresh_from_db()
    if plan.status == "draft":
        officer = f.UserFactory(role="officer", unit=plan.unit)
        services.plan_transition(plan_id=plan.pk, name="submit", user=officer)
    return services.plan_transition(
        plan_id=plan.pk,
        name="approve",
        user=user,
        **{"decision_number": "312/QĐ-UBND", "decision_date": datetime.date(2022, 3, 4), **extra},
    )


def test_a_manager_approves_a_plan_with_its_decision(draft_plan, province, manager):
    f.SchemeFactory(plan=draft_plan, unit=province.district, budget=draft_plan.budget)
    plan = _approve_plan(draft_plan, manager, approving_body="UBND tỉnh Hà Giang")
    assert plan.status == "approved" and plan.decision_number == "312/QĐ-UBND"
    assert plan.approving_body == "UBND tỉnh Hà Giang"


@pytest.mark.parametrize("who", ["officer", "district_user"])
def test_only_a_manager_approves_a_plan(request, draft_plan, province, who):
    f.SchemeFactory(plan=draft_plan, unit=province.district)
    with pytest.raises(TransitionRefused, match="Bạn không có quyền"):
        _approve_plan(draft_plan, request.getfixturevalue(who))


def test_a_plan_without_schemes_is_not_approved(draft_plan, manager):
    with pytest.raises(TransitionRefused, match="chưa có đề án"):
        _approve_plan(draft_plan, manager)


def test_a_plan_whose_schemes_exceed_it_is_not_approved(draft_plan, province, manager):
    f.SchemeFactory(plan=draft_plan, unit=province.district, budget=draft_plan.budget)
    f.SchemeFactory(plan=draft_plan, unit=province.district, budget=1)
    with pytest.raises(TransitionRefused, match="vượt kinh phí được giao"):
        _approve_plan(draft_plan, manager)
    # A cancelled scheme takes nothing from the plan.
    Scheme.objects.filter(budget=1).update(status="cancelled", cancel_reason="Rút")
    assert _approve_plan(draft_plan, manager).status == "approved"


def test_a_plan_needs_its_decision(draft_plan, province, manager):
    f.SchemeFactory(plan=draft_plan, unit=province.district)
    with pytest.raises(TransitionRefused, match="số và ngày"):
        _approve_plan(draft_plan, manager, decision_date=None)


# Records and the statuses that allow them


def _contract(scheme, officer, **extra):
    return services.contract_sign(
        scheme=scheme,
        user=officer,
        number=extra.pop("number", "05/HĐ"),
        signed_on=datetime.date(2022, 4, 1),
        value=extra.pop("value", 50 * TR),
        party_name="HTX chè",
        **extra,
    )


def test_no_contract_before_approval(province, officer):
    scheme = _scheme_at(province, "proposed")
    with pytest.raises(services.RuleBroken, match="Không thể ký hợp đồng khi đề án đang ở"):
        _contract(scheme, officer)


def test_one_contract_per_beneficiary_within_its_support(province, officer):
    scheme = _scheme_at(province, "approved")
    scheme.contracts.all().delete()
    link = f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=f.FacilityFactory(unit=province.commune), support_amount=80 * TR
    )
    with pytest.raises(services.RuleBroken, match="vượt kinh phí hỗ trợ của cơ sở"):
        _contract(scheme, officer, beneficiary=link, value=80 * TR + 1)
    _contract(scheme, officer, beneficiary=link, value=80 * TR)
    with pytest.raises(services.RuleBroken, match="đã có hợp đồng"):
        _contract(scheme, officer, beneficiary=link, number="06/HĐ", value=1)


def test_contracts_within_the_scheme_budget_to_the_dong(province, officer):
    scheme = _scheme_at(province, "approved")  # one contract of 200 tr = the whole budget
    with pytest.raises(services.RuleBroken, match="vượt kinh phí khuyến công"):
        _contract(scheme, officer, value=1)


def test_settlement_payment_only_after_acceptance(province, officer):
    scheme = _scheme_at(province, "in_progress")
    with pytest.raises(services.RuleBroken, match="sau khi đề án đã được nghiệm thu"):
        services.disbursement_record(
            contract=scheme.contracts.get(),
            user=officer,
            kind="settlement",
            paid_on=datetime.date(2022, 12, 1),
            amount=TR,
        )


def _pay(contract, officer, amount):
    return services.disbursement_record(
        contract=contract,
        user=officer,
        kind="payment",
        paid_on=datetime.date(2022, 6, 1),
        amount=amount,
    )


def test_before_acceptance_advances_and_payments_together_stop_at_70_percent_to_the_dong(
    province, officer
):
    scheme = _scheme_at(province, "in_progress")
    contract = scheme.contracts.get()  # 200 tr: 140 tr may go out before acceptance
    services.disbursement_record(
        contract=contract,
        user=officer,
        kind="advance",
        paid_on=datetime.date(2022, 5, 1),
        amount=100 * TR,
    )
    with pytest.raises(services.RuleBroken, match=r"tối đa 70 %.*còn được chi 40\.000\.000 đ"):
        _pay(contract, officer, 40 * TR + 1)
    _pay(contract, officer, 40 * TR)
    assert scheme.disbursed_total() == 140 * TR


def test_after_acceptance_a_payment_may_reach_the_contract_but_not_one_dong_more(province, officer):
    scheme = _scheme_at(province, "accepted")  # 150 tr of 200 tr already paid
    contract = scheme.contracts.get()
    with pytest.raises(services.RuleBroken, match=r"còn được chi 50\.000\.000 đ"):
        _pay(contract, officer, 50 * TR + 1)
    _pay(contract, officer, 50 * TR)
    assert scheme.disbursed_total() == 200 * TR


def test_no_payment_dated_before_its_contract_is_signed(province, officer):
    scheme = _scheme_at(province, "in_progress")
    contract = scheme.contracts.get()
    day_before = contract.signed_on - datetime.timedelta(days=1)
    with pytest.raises(services.RuleBroken, match="trước ngày ký hợp đồng"):
        services.disbursement_record(
            contract=contract, user=officer, kind="advance", paid_on=day_before, amount=TR
        )
    services.disbursement_record(
        contract=contract, user=officer, kind="advance", paid_on=contract.signed_on, amount=TR
    )


def test_no_inspection_before_contract_or_after_acceptance(province, officer):
    for status in ("approved", "accepted"):
        scheme = _scheme_at(province, status)
        with pytest.raises(services.RuleBroken, match="Không thể ghi kết quả kiểm tra"):
            services.inspection_record(
                scheme=scheme,
                user=officer,
                inspected_on=datetime.date(2022, 6, 1),
                inspectors="Đoàn kiểm tra",
            )


def test_acceptance_only_when_awaiting_and_within_the_budget(province, officer):
    def record(scheme, amount):
        return services.acceptance_record(
            scheme=scheme,
            user=officer,
            held_on=datetime.date(2022, 11, 20),
            committee="Hội đồng",
            result="passed",
            accepted_amount=amount,
        )

    with pytest.raises(services.RuleBroken, match="Không thể ghi biên bản nghiệm thu"):
        record(_scheme_at(province, "in_progress"), TR)
    scheme = _scheme_at(province, "awaiting_acceptance")
    scheme.acceptances.all().delete()
    with pytest.raises(services.RuleBroken, match="vượt kinh phí khuyến công đã phê duyệt"):
        record(scheme, 200 * TR + 1)
    assert record(scheme, 200 * TR).accepted_amount == 200 * TR


def test_beneficiaries_together_may_not_exceed_the_scheme_budget(province, officer):
    scheme = _scheme_at(province, "proposed")
    services.beneficiary_add(
        scheme=scheme,
        facility=f.FacilityFactory(unit=province.commune),
        user=officer,
        support_amount=scheme.budget,
    )
    with pytest.raises(services.RuleBroken, match="vượt kinh phí"):
        services.beneficiary_add(
            scheme=scheme,
            facility=f.FacilityFactory(unit=province.commune),
            user=officer,
            support_amount=1,
        )


def test_district_staff_write_nothing_on_a_scheme(province, district_user):
    scheme = _scheme_at(province, "approved")
    with pytest.raises(Exception, match="Chỉ cán bộ Trung tâm Khuyến công"):
        _contract(scheme, district_user)
    with pytest.raises(Exception, match="Chỉ cán bộ Trung tâm Khuyến công"):
        services.beneficiary_add(
            scheme=scheme,
            facility=f.FacilityFactory(unit=province.commune),
            user=district_user,
            support_amount=TR,
        )


def test_removing_a_beneficiary_returns_its_request_to_review(province, officer):
    scheme = _scheme_at(province, "proposed")
    request = f.SupportRequestFactory(
        facility=f.FacilityFactory(unit=province.commune), status="included"
    )
    link = f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=request.facility, request=request, support_amount=TR
    )
    services.beneficiary_remove(link, user=officer)
    request.refresh_from_db()
    assert request.status == "under_review"
    assert not scheme.beneficiaries.exists()


# The transition page


def _post_step(client, scheme, name, data=None):
    url = reverse("schemes:scheme_transition", args=[scheme.pk, name])
    return client.post(url, data or {}, follow=True)


def test_the_page_tells_a_refusal_in_vietnamese(login, province, officer):
    scheme = _scheme_at(province, "submitted")
    decision = {"decision_number": "1/QĐ", "decision_date": "10/03/2022"}
    response = _post_step(login(officer), scheme, "approve", decision)
    assert response.status_code == 200
    assert "Bạn không có quyền “Phê duyệt”" in response.text


def test_the_page_refuses_an_impossible_date_with_a_message(login, province, manager):
    scheme = _scheme_at(province, "submitted")
    decision = {"decision_number": "1/QĐ", "decision_date": "31/02/2022"}
    response = _post_step(login(manager), scheme, "approve", decision)
    assert "Cần nhập số và ngày" in response.text
    scheme.refresh_from_db()
    assert scheme.status == "submitted"


def test_the_page_refuses_an_unknown_step(login, province, manager):
    scheme = _scheme_at(province, "proposed")
    response = _post_step(login(manager), scheme, "delete")
    assert "Thao tác không tồn tại" in response.text
