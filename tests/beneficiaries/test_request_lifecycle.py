"""A support request moves draft → submitted → under review → included | rejected | withdrawn,
each step by the right role, with its actor in the history."""

import pytest

from beneficiaries.services import request_transition
from khuyencong.workflow import TransitionRefused
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(province):
    return f.SupportRequestFactory(facility=f.FacilityFactory(unit=province.commune))


def test_district_submits_and_the_province_includes(request_, district_user, officer):
    submitted = request_transition(request_id=request_.pk, name="submit", user=district_user)
    assert submitted.status == "submitted" and submitted.submitted_at
    included = request_transition(request_id=request_.pk, name="include", user=officer)
    assert included.status == "included"
    assert [h.history_user for h in included.history.all()[:2]] == [officer, district_user]


def test_the_district_may_not_include_its_own_request(request_, district_user):
    request_transition(request_id=request_.pk, name="submit", user=district_user)
    with pytest.raises(TransitionRefused, match="không có quyền"):
        request_transition(request_id=request_.pk, name="include", user=district_user)


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
