"""The explicit "Trình phê duyệt" step of plans and schemes: the officer submits, the manager
approves or sends back with a reason; a submitted record is read-only for the officer until
sent back, and its page says what waits for whom."""

import datetime

import pytest
from django.urls import reverse

from khuyencong.saving import RuleBroken
from khuyencong.workflow import TransitionRefused, next_step, waiting_states
from schemes import services
from schemes.models import Plan, Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db
TR = 1_000_000
DECISION = {"decision_number": "101/QĐ-SCT", "decision_date": datetime.date(2022, 3, 10)}


@pytest.fixture
def draft_plan(province):
    return f.PlanFactory(
        unit=province.province, status="draft", decision_number="", decision_date=None
    )


@pytest.fixture
def scheme(province):
    """A proposal ready to go: its item equals its budget and counterpart."""
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.district,
        budget=200 * TR,
        counterpart_budget=200 * TR,
    )
    f.SchemeItemFactory(
        scheme=scheme,
        activity_type=scheme.activity_type,
        support_amount=200 * TR,
        counterpart_amount=200 * TR,
    )
    return scheme


def _step(scheme, name, user, **inputs):
    return services.scheme_transition(scheme_id=scheme.pk, name=name, user=user, **inputs)


def test_the_officer_submits_and_the_manager_approves(scheme, officer, manager):
    assert next_step(scheme, officer).name == "submit"
    submitted = _step(scheme, "submit", officer)
    assert submitted.status == "submitted"
    assert submitted.get_status_display() == "Chờ phê duyệt"
    assert submitted.history.first().history_change_reason == "Trình phê duyệt"
    step = next_step(submitted, manager)
    assert (step.name, step.roles, step.yours) == ("approve", ("manager",), True)
    assert _step(submitted, "approve", manager, **DECISION).status == "approved"


def test_the_manager_cannot_approve_a_proposal_not_submitted(scheme, manager):
    with pytest.raises(TransitionRefused, match="khi đang ở trạng thái “Đề xuất”"):
        _step(scheme, "approve", manager, **DECISION)


@pytest.mark.parametrize("who", ["manager", "district_user"])
def test_only_the_officer_submits(request, scheme, who):
    with pytest.raises(TransitionRefused, match="Bạn không có quyền “Trình phê duyệt”"):
        _step(scheme, "submit", request.getfixturevalue(who))


@pytest.mark.parametrize("who", ["officer", "district_user"])
def test_neither_the_district_nor_the_officer_approves(request, scheme, officer, who):
    _step(scheme, "submit", officer)
    with pytest.raises(TransitionRefused, match="Bạn không có quyền “Phê duyệt”"):
        _step(scheme, "approve", request.getfixturevalue(who), **DECISION)


def test_sent_back_with_its_reason_kept_and_shown(login, scheme, officer, manager):
    _step(scheme, "submit", officer)
    with pytest.raises(TransitionRefused, match="Cần nêu nội dung đề án cần hoàn thiện"):
        _step(scheme, "send_back", manager, reason=" ")
    back = _step(scheme, "send_back", manager, reason="Bổ sung dự toán chi tiết máy sao chè.")
    assert back.status == "proposed"
    assert back.sent_back_reason == "Bổ sung dự toán chi tiết máy sao chè."
    assert back.history.first().history_change_reason == "Trả lại để hoàn thiện"
    page = login(officer).get(reverse("schemes:scheme_detail", args=[scheme.pk]))
    assert "Lãnh đạo đã trả lại để hoàn thiện:" in page.text
    assert "Bổ sung dự toán chi tiết máy sao chè." in page.text
    # … and in the timeline, as the change of the field
    assert page.text.count("Bổ sung dự toán chi tiết máy sao chè.") >= 2
    # Sent back, it is the officer's again: he edits it and submits it anew.
    assert next_step(back, officer).name == "submit"


def test_the_officer_cannot_send_back(scheme, officer):
    _step(scheme, "submit", officer)
    with pytest.raises(TransitionRefused, match="Bạn không có quyền"):
        _step(scheme, "send_back", officer, reason="Tự rút lại")


def test_a_submitted_scheme_is_read_only_for_the_officer(login, province, scheme, officer):
    _step(scheme, "submit", officer)
    scheme.refresh_from_db()
    scheme.title = "Đổi tên khi đang chờ duyệt"
    with pytest.raises(RuleBroken, match="đang chờ lãnh đạo phê duyệt"):
        services.scheme_save(scheme, user=officer)
    with pytest.raises(RuleBroken, match="Không thể thêm hạng mục"):
        services.scheme_item_add(
            scheme=scheme,
            user=officer,
            activity_type=scheme.activity_type,
            description="Thêm máy",
            support_amount=TR,
        )
    with pytest.raises(RuleBroken, match="Không thể thêm cơ sở"):
        services.beneficiary_add(
            scheme=scheme,
            facility=f.FacilityFactory(unit=province.commune),
            user=officer,
            support_amount=TR,
        )
    client = login(officer)
    edit = client.get(reverse("schemes:scheme_edit", args=[scheme.pk]), follow=True)
    assert "đang chờ lãnh đạo phê duyệt" in edit.text
    page = client.get(reverse("schemes:scheme_detail", args=[scheme.pk]))
    assert "Sửa đề án" not in page.text
    assert "Đề án đã trình, đang chờ lãnh đạo phê duyệt" in page.text


def test_the_submit_form_asks_for_confirmation(login, scheme, officer):
    page = login(officer).get(reverse("schemes:scheme_detail", args=[scheme.pk]))
    assert f'data-confirm="Trình lãnh đạo phê duyệt đề án «{scheme}»?' in page.text


def test_what_waits_for_the_manager_is_the_submitted(scheme):
    assert waiting_states(Scheme, "manager") == ["awaiting_acceptance", "submitted"]
    assert "submitted" not in waiting_states(Scheme, "officer")
    assert waiting_states(Plan, "manager") == ["submitted"]
    assert waiting_states(Plan, "officer") == ["draft"]


def test_a_scheme_goes_with_its_plan_or_after_it(province, draft_plan, officer, manager):
    scheme = f.SchemeFactory(
        plan=draft_plan, unit=province.district, budget=100 * TR, counterpart_budget=100 * TR
    )
    f.SchemeItemFactory(
        scheme=scheme,
        activity_type=scheme.activity_type,
        support_amount=100 * TR,
        counterpart_amount=100 * TR,
    )
    with pytest.raises(TransitionRefused, match="Kế hoạch của đề án chưa được trình phê duyệt"):
        _step(scheme, "submit", officer)
    services.plan_transition(plan_id=draft_plan.pk, name="submit", user=officer)
    submitted = _step(scheme, "submit", officer)
    # The manager approves the plan first, then its scheme.
    assert next_step(submitted, manager).missing[0].message == (
        "Kế hoạch của đề án chưa được phê duyệt."
    )
    plan_decision = {"decision_number": "312/QĐ-UBND", "decision_date": datetime.date(2022, 3, 4)}
    services.plan_transition(plan_id=draft_plan.pk, name="approve", user=manager, **plan_decision)
    assert _step(submitted, "approve", manager, **DECISION).status == "approved"


# Plans


def test_a_plan_is_submitted_then_approved(province, draft_plan, officer, manager):
    f.SchemeFactory(plan=draft_plan, unit=province.district, budget=draft_plan.budget)
    assert next_step(draft_plan, officer).name == "submit"
    with pytest.raises(TransitionRefused, match="khi đang ở trạng thái “Dự thảo”"):
        services.plan_transition(plan_id=draft_plan.pk, name="approve", user=manager, **DECISION)
    with pytest.raises(TransitionRefused, match="Bạn không có quyền “Trình phê duyệt”"):
        services.plan_transition(plan_id=draft_plan.pk, name="submit", user=manager)
    plan = services.plan_transition(plan_id=draft_plan.pk, name="submit", user=officer)
    assert plan.status == "submitted"
    assert next_step(plan, manager).name == "approve"
    approved = services.plan_transition(plan_id=plan.pk, name="approve", user=manager, **DECISION)
    assert approved.status == "approved"


def test_a_plan_not_approvable_is_not_submitted(draft_plan, province, officer):
    with pytest.raises(TransitionRefused, match="chưa có đề án"):
        services.plan_transition(plan_id=draft_plan.pk, name="submit", user=officer)
    f.SchemeFactory(plan=draft_plan, unit=province.district, budget=draft_plan.budget + 1)
    with pytest.raises(TransitionRefused, match="vượt kinh phí được giao"):
        services.plan_transition(plan_id=draft_plan.pk, name="submit", user=officer)


def test_a_submitted_plan_is_read_only_until_sent_back(
    login, province, draft_plan, officer, manager
):
    f.SchemeFactory(plan=draft_plan, unit=province.district)
    services.plan_transition(plan_id=draft_plan.pk, name="submit", user=officer)
    draft_plan.refresh_from_db()
    draft_plan.title = "Sửa khi đang chờ"
    with pytest.raises(RuleBroken, match="không sửa được"):
        services.plan_save(draft_plan, user=officer)
    client = login(officer)
    edit = client.get(reverse("plans:plan_edit", args=[draft_plan.pk]), follow=True)
    assert "không sửa được" in edit.text
    back = services.plan_transition(
        plan_id=draft_plan.pk, name="send_back", user=manager, reason="Thiếu đề án nhóm chè."
    )
    assert (back.status, back.sent_back_reason) == ("draft", "Thiếu đề án nhóm chè.")
    page = client.get(reverse("plans:plan_detail", args=[draft_plan.pk]))
    assert "Lãnh đạo đã trả lại để hoàn thiện:" in page.text
    assert "Thiếu đề án nhóm chè." in page.text
    back.title = "Kế hoạch đã hoàn thiện"
    assert services.plan_save(back, user=officer).title == "Kế hoạch đã hoàn thiện"
