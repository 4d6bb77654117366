"""The next step a record's page announces: read from the life cycle's declaration, it names the
step, who takes it and every thing it still waits for, each linked to its place."""

import datetime

import pytest
from django.urls import reverse

from beneficiaries.models import DocumentKind, SupportRequest
from khuyencong.workflow import blocked_transitions, next_step, waiting_states
from schemes.models import Plan, Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db
TR = 1_000_000
DECIDED = {"approval_number": "12/QĐ-SCT", "approval_date": datetime.date(2022, 3, 1)}


def _approved_scheme(province):
    plan = f.PlanFactory(unit=province.province)
    return f.SchemeFactory(
        plan=plan, unit=province.district, status="approved", budget=200 * TR, **DECIDED
    )


def test_it_names_the_step_its_taker_and_the_missing_contract(province, officer, manager):
    scheme = _approved_scheme(province)

    step = next_step(scheme, officer)

    assert step.name == "mark_contracted"
    assert step.roles == ("officer",)
    assert step.who == "Cán bộ Trung tâm / Sở"
    assert step.yours and not step.ready
    assert [(m.message, m.fix) for m in step.missing] == [
        ("Chưa có hợp đồng nào được ký cho đề án.", "#hop-dong")
    ]
    assert not next_step(scheme, manager).yours


def test_it_lists_every_missing_thing_at_once(province, manager):
    scheme = _approved_scheme(province)
    scheme.status = "awaiting_acceptance"
    scheme.save()
    assert DocumentKind.objects.required_for(scheme.activity_type, "scheme").exists()

    step = next_step(scheme, manager)

    assert step.name == "accept"
    fixes = [m.fix for m in step.missing]
    assert "#nghiem-thu" in fixes and "#ho-so" in fixes
    (label, reasons), *_ = blocked_transitions(scheme, manager)
    assert label == "Phê duyệt nghiệm thu" and len(reasons) == len(step.missing)


def test_a_fix_may_be_another_page(province, officer):
    plan = f.PlanFactory(unit=province.province, status="draft")
    scheme = f.SchemeFactory(plan=plan, unit=province.district, status="proposed", budget=TR)

    step = next_step(scheme, officer)

    assert reverse("plans:plan_detail", args=[plan.pk]) in [m.fix for m in step.missing]


def test_it_ends_with_the_life_cycle(province, officer):
    scheme = _approved_scheme(province)
    scheme.status = "settled"
    assert next_step(scheme, officer) is None


def test_waiting_states_follow_the_declared_steps():
    assert {"approved", "contracted", "in_progress", "accepted"} <= set(
        waiting_states(Scheme, "officer")
    )
    assert "awaiting_acceptance" in waiting_states(Scheme, "manager")
    assert "draft" in waiting_states(SupportRequest, "district")
    assert "submitted" in waiting_states(SupportRequest, "officer")
    assert waiting_states(Plan, "district") == []


def test_the_pages_show_the_next_step(province, officer, login):
    scheme = _approved_scheme(province)

    page = login(officer).get(reverse("schemes:scheme_detail", args=[scheme.pk])).content.decode()

    assert "Bước tiếp theo: Xác nhận đã ký hợp đồng" in page
    assert '<a href="#hop-dong">Chưa có hợp đồng nào được ký cho đề án.</a>' in page
