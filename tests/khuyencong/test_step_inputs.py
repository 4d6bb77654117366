"""A life-cycle step's inputs are declared once, beside its transition: the same form refuses
them from a service and from the page, and the page renders its fields."""

import datetime
import inspect
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries import services as intake
from beneficiaries.models import SupportRequest
from khuyencong.workflow import TransitionRefused
from schemes import services
from schemes.models import Plan, Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db
MISSING = "Cần nhập số và ngày của quyết định phê duyệt."


@pytest.fixture
def scheme(province):
    """Submitted for approval, where the manager's decision is typed."""
    return f.submitted(
        f.SchemeFactory(plan=f.PlanFactory(unit=province.province), unit=province.district)
    )


def _transitions(model):
    return model._meta.get_field("status").get_all_transitions(model)


@pytest.mark.parametrize("model", [Plan, Scheme, SupportRequest], ids=lambda m: m.__name__)
def test_a_method_takes_exactly_the_inputs_its_transition_declares(model):
    for t in _transitions(model):
        method = inspect.unwrap(getattr(model, t.name))
        taken = set(inspect.signature(method).parameters) - {"self", "user"}
        inputs = t.custom.get("inputs")
        assert taken == set(inputs.base_fields if inputs else ()), t.name


def test_an_approval_without_a_date_is_refused_by_the_service(scheme, manager):
    with pytest.raises(TransitionRefused) as refused:
        services.scheme_transition(
            scheme_id=scheme.pk, name="approve", user=manager, decision_number="5/QĐ"
        )
    assert str(refused.value) == MISSING
    scheme.refresh_from_db()
    assert (scheme.status, scheme.approval_number) == ("submitted", "")


def test_an_approval_without_a_date_is_refused_on_the_page(login, scheme, manager):
    url = reverse("schemes:scheme_transition", args=[scheme.pk, "approve"])
    page = login(manager).post(url, {"decision_number": "5/QĐ", "decision_date": ""}, follow=True)
    assert MISSING in page.text
    scheme.refresh_from_db()
    assert scheme.status == "submitted"


def test_a_service_passes_dates_and_the_page_passes_text(scheme, manager):
    approved = services.scheme_transition(
        scheme_id=scheme.pk,
        name="approve",
        user=manager,
        decision_number=" 5/QĐ-SCT\u200b ",  # stored as typed, without the invisible space
        decision_date="01/03/2022",
    )
    assert (approved.approval_number, approved.approval_date) == (
        "5/QĐ-SCT",
        datetime.date(2022, 3, 1),
    )


def test_the_scheme_page_renders_the_declared_inputs(login, scheme, manager):
    html = login(manager).get(reverse("schemes:scheme_detail", args=[scheme.pk])).text
    approve = _form(html, "approve")
    assert re.search(r'<label[^>]*for="id_approve_decision_number"[^>]*>Số quyết định<', approve)
    assert re.search(r'name="decision_number"[^>]*maxlength="50"[^>]*required', approve)
    assert re.search(r'<label[^>]*for="id_approve_decision_date"[^>]*>Ngày <span', approve)
    assert re.search(r'name="decision_date"[^>]*placeholder="dd/mm/yyyy"[^>]*required', approve)
    cancel = _form(html, "cancel")
    assert re.search(r'name="reason"[^>]*maxlength="2000"[^>]*required', cancel)
    assert ">Lý do hủy<" in cancel


def test_the_plan_page_shows_the_approving_body_the_plan_has(login, province, manager):
    plan = f.PlanFactory(
        unit=province.province, status="submitted", decision_number="", decision_date=None
    )
    f.SchemeFactory(plan=plan, budget=100_000_000)
    html = login(manager).get(reverse("plans:plan_detail", args=[plan.pk])).text
    assert re.search(r'name="approving_body" value="Bộ Công Thương"', _form(html, "approve"))


def _form(html, step):
    start = html.index(f"/transition/{step}/")
    return html[start : html.index("</form>", start)]


def test_a_settlement_without_a_date_is_settled_today_and_an_unreadable_one_refused(
    province, officer
):
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        status="accepted",
        approval_number="1/QĐ",
        approval_date=datetime.date(2022, 3, 1),
    )
    with pytest.raises(TransitionRefused):
        services.scheme_transition(
            scheme_id=scheme.pk, name="settle", user=officer, settled_on="31/02/2023"
        )
    settled = services.scheme_transition(scheme_id=scheme.pk, name="settle", user=officer)
    assert settled.settled_on == timezone.localdate()


def test_a_reason_of_invisible_characters_is_no_reason(province, district_user, officer):
    req = f.SupportRequestFactory(facility=f.FacilityFactory(unit=province.commune))
    intake.request_transition(request_id=req.pk, name="submit", user=district_user)
    with pytest.raises(TransitionRefused, match="Cần nêu lý do không chọn"):
        intake.request_transition(request_id=req.pk, name="reject", user=officer, reason="\u200b")
    with pytest.raises(TransitionRefused, match=re.escape("Lý do không chọn dài 2.001 ký tự")):
        intake.request_transition(request_id=req.pk, name="reject", user=officer, reason="x" * 2001)
