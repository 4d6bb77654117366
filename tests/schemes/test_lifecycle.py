"""The scheme life cycle: each step checks its role and preconditions and says why it refuses."""

import datetime

import pytest
from django.urls import reverse

from beneficiaries.models import DocumentKind
from khuyencong.workflow import TransitionRefused
from schemes import services
from tests import factories as f

pytestmark = pytest.mark.django_db
DECISION = {"decision_number": "101/QĐ-SCT", "decision_date": datetime.date(2022, 3, 10)}


@pytest.fixture
def scheme(province):
    return f.SchemeFactory(plan=f.PlanFactory(unit=province.province), unit=province.district)


def approve(scheme, user):
    return services.scheme_transition(scheme_id=scheme.pk, name="approve", user=user, **DECISION)


def sign_contract(scheme, officer):
    return services.contract_sign(
        scheme=scheme,
        user=officer,
        number="01/HĐ",
        signed_on=datetime.date(2022, 4, 1),
        value=100_000_000,
        party_name="HTX chè",
    )


def test_manager_approves_a_scheme_with_its_decision(scheme, manager):
    approved = approve(scheme, manager)
    assert approved.status == "approved"
    assert approved.approval_number == "101/QĐ-SCT"
    last = approved.history.first()
    assert last.history_user == manager and last.history_change_reason == "Phê duyệt"


def test_officer_may_not_approve(scheme, officer):
    with pytest.raises(TransitionRefused, match="không có quyền"):
        approve(scheme, officer)


def test_approving_twice_is_refused_not_repeated(scheme, manager):
    approve(scheme, manager)
    with pytest.raises(TransitionRefused, match="Đã phê duyệt"):
        approve(scheme, manager)
    assert scheme.history.count() == 2  # created, approved once


def test_contracted_needs_a_contract(scheme, manager, officer):
    approve(scheme, manager)
    with pytest.raises(TransitionRefused, match="Chưa có hợp đồng"):
        services.scheme_transition(scheme_id=scheme.pk, name="mark_contracted", user=officer)


def test_before_acceptance_payments_stop_at_70_percent_of_the_contract(scheme, manager, officer):
    approve(scheme, manager)
    contract = sign_contract(scheme, officer)
    services.disbursement_record(
        contract=contract,
        user=officer,
        kind="advance",
        paid_on=datetime.date(2022, 4, 5),
        amount=70_000_000,
    )
    with pytest.raises(services.RuleBroken, match="tối đa 70 %"):
        services.disbursement_record(
            contract=contract,
            user=officer,
            kind="payment",
            paid_on=datetime.date(2022, 5, 5),
            amount=1,
        )


def test_beneficiaries_may_not_exceed_the_budget(scheme, officer, province):
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


def test_acceptance_needs_a_passed_record(scheme, manager, officer):
    approve(scheme, manager)
    sign_contract(scheme, officer)
    for step in ("mark_contracted", "start", "request_acceptance"):
        services.scheme_transition(scheme_id=scheme.pk, name=step, user=officer)
    with pytest.raises(TransitionRefused, match="biên bản nghiệm thu"):
        services.scheme_transition(scheme_id=scheme.pk, name="accept", user=manager)
    services.acceptance_record(
        scheme=scheme,
        user=officer,
        held_on=datetime.date(2022, 11, 20),
        committee="Hội đồng",
        result="passed",
        accepted_amount=scheme.budget,
    )
    for kind in DocumentKind.objects.required_for(scheme.activity_type, "scheme"):
        f.SchemeDocumentFactory(scheme=scheme, kind=kind)
    accepted = services.scheme_transition(scheme_id=scheme.pk, name="accept", user=manager)
    assert accepted.status == "accepted"


def test_cancel_needs_a_reason(scheme, manager):
    with pytest.raises(TransitionRefused, match="lý do"):
        services.scheme_transition(scheme_id=scheme.pk, name="cancel", user=manager, reason=" ")


def test_the_page_shows_a_refusal_in_vietnamese(login, scheme, officer):
    url = reverse("schemes:scheme_transition", args=[scheme.pk, "approve"])
    response = login(officer).post(
        url, {"decision_number": "1/QĐ", "decision_date": "10/03/2022"}, follow=True
    )
    assert response.status_code == 200
    assert "Bạn không có quyền “Phê duyệt”" in response.text


def test_an_impossible_date_is_refused_with_a_message(login, scheme, manager):
    url = reverse("schemes:scheme_transition", args=[scheme.pk, "approve"])
    response = login(manager).post(
        url, {"decision_number": "1/QĐ", "decision_date": "31/02/2022"}, follow=True
    )
    assert "Cần nhập số và ngày" in response.text
    scheme.refresh_from_db()
    assert scheme.status == "proposed"


def test_an_unknown_transition_is_refused(login, scheme, manager):
    url = reverse("schemes:scheme_transition", args=[scheme.pk, "delete"])
    response = login(manager).post(url, follow=True)
    assert "Thao tác không tồn tại" in response.text
