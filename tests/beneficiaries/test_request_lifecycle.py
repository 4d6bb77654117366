"""A support request moves draft → submitted → under review → included | rejected | withdrawn,
each step by the right role, with its actor in the history."""

import pytest

from beneficiaries.models import SupportRequest
from beneficiaries.services import request_transition
from khuyencong.workflow import TransitionRefused, run_transition
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(province):
    return f.SupportRequestFactory(facility=f.FacilityFactory(unit=province.commune))


def include(request_, user):
    """As the plan builder (schemes/planning.py) includes a request it links to a scheme."""
    return run_transition(SupportRequest, request_.pk, "include", user, from_service=True)


def test_district_submits_and_the_province_includes(request_, district_user, officer):
    submitted = request_transition(request_id=request_.pk, name="submit", user=district_user)
    assert submitted.status == "submitted" and submitted.submitted_at
    included = include(request_, officer)
    assert included.status == "included"
    assert [h.history_user for h in included.history.all()[:2]] == [officer, district_user]


@pytest.mark.parametrize("step", ["include", "return_to_review"])
def test_entering_and_leaving_the_plan_are_the_plan_builders_steps_only(request_, officer, step):
    with pytest.raises(TransitionRefused, match="trang lập kế hoạch"):
        request_transition(request_id=request_.pk, name=step, user=officer)


def test_the_district_may_not_include_its_own_request(request_, district_user):
    request_transition(request_id=request_.pk, name="submit", user=district_user)
    with pytest.raises(TransitionRefused, match="không có quyền"):
        include(request_, district_user)


def test_a_rejection_needs_a_reason_shown_to_the_district(request_, district_user, officer):
    request_transition(request_id=request_.pk, name="submit", user=district_user)
    with pytest.raises(TransitionRefused, match="lý do"):
        request_transition(request_id=request_.pk, name="reject", user=officer, reason="")
    rejected = request_transition(
        request_id=request_.pk, name="reject", user=officer, reason="Trùng nội dung năm trước."
    )
    assert rejected.reject_reason == "Trùng nội dung năm trước."


def test_another_district_cannot_touch_the_request(request_, other_district_user):
    from django.core.exceptions import ObjectDoesNotExist

    with pytest.raises(ObjectDoesNotExist):
        request_transition(request_id=request_.pk, name="submit", user=other_district_user)
