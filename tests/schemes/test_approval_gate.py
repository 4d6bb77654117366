"""The gates of a scheme's approval, and of its submission: budget and counterpart equal the
sums of the items, and no item above its cap without an exception; each named with its
figures and its place on the page, all at once."""

import datetime

import pytest
from django.urls import reverse

from khuyencong.workflow import TransitionRefused, blocked_transitions, next_step
from schemes import services
from schemes.models import ITEMS_ABOVE_CAPS, RuleException
from tests import factories as f

pytestmark = pytest.mark.django_db
TR = 1_000_000
DECISION = {"decision_number": "101/QĐ-SCT", "decision_date": datetime.date(2022, 3, 10)}
BUDGET_GAP = (
    "Kinh phí khuyến công của đề án (400.000.000 đ) khác tổng các hạng mục (300.000.000 đ)."
)
COUNTERPART_GAP = (
    "Kinh phí đối ứng của đề án (500.000.000 đ) khác tổng đối ứng các hạng mục (600.000.000 đ)."
)


@pytest.fixture
def scheme(province):
    """The issue's scheme: 400 tr and 500 tr counterpart, its items 300 tr and 600 tr."""
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.district,
        budget=400 * TR,
        counterpart_budget=500 * TR,
    )
    for _ in range(2):
        f.SchemeBeneficiaryFactory(
            scheme=scheme,
            facility=f.FacilityFactory(unit=province.commune),
            support_amount=150 * TR,
        )
    f.SchemeItemFactory(
        scheme=scheme,
        activity_type=scheme.activity_type,
        support_amount=300 * TR,
        counterpart_amount=600 * TR,
    )
    return scheme


def _step(scheme, name, user, **inputs):
    return services.scheme_transition(scheme_id=scheme.pk, name=name, user=user, **inputs)


def test_submission_is_refused_with_the_figures(scheme, officer):
    with pytest.raises(TransitionRefused) as refused:
        _step(scheme, "submit", officer)
    assert str(refused.value) == f"{BUDGET_GAP} {COUNTERPART_GAP}"  # every gap at once
    scheme.items.update(support_amount=400 * TR)
    with pytest.raises(TransitionRefused) as refused:
        _step(scheme, "submit", officer)
    assert str(refused.value) == COUNTERPART_GAP
    scheme.items.update(counterpart_amount=500 * TR)
    assert _step(scheme, "submit", officer).status == "submitted"


def test_approval_is_refused_when_the_figures_changed_after_submission(scheme, officer, manager):
    scheme.items.update(support_amount=400 * TR, counterpart_amount=500 * TR)
    _step(scheme, "submit", officer)
    scheme.items.update(support_amount=300 * TR)  # as a bulk write might
    with pytest.raises(TransitionRefused) as refused:
        _step(scheme, "approve", manager, **DECISION)
    assert str(refused.value) == BUDGET_GAP


def test_the_next_step_lists_every_gap_at_once_with_its_place(scheme, officer):
    step = next_step(scheme, officer)
    assert step.name == "submit" and step.yours
    assert [(m.message, m.fix) for m in step.missing] == [
        (BUDGET_GAP, "#hang-muc"),
        (COUNTERPART_GAP, "#hang-muc"),
    ]
    [(label, missing)] = blocked_transitions(scheme, officer)
    assert label == "Trình phê duyệt" and [m.message for m in missing] == [
        BUDGET_GAP,
        COUNTERPART_GAP,
    ]


def test_the_page_shows_the_gaps_linked_to_the_items(login, scheme, officer):
    page = login(officer).get(reverse("schemes:scheme_detail", args=[scheme.pk]))
    assert f'<a href="#hang-muc">{BUDGET_GAP}</a>' in page.text
    assert f'<a href="#hang-muc">{COUNTERPART_GAP}</a>' in page.text


def _above_cap(province):
    """Machinery for one facility: 300 tr where the cap allows 200 tr, the figures equal."""
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.district,
        budget=300 * TR,
        counterpart_budget=400 * TR,
    )
    f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=f.FacilityFactory(unit=province.commune), support_amount=300 * TR
    )
    item = f.SchemeItemFactory(
        scheme=scheme,
        activity_type=scheme.activity_type,
        support_amount=300 * TR,
        counterpart_amount=400 * TR,
    )
    return scheme, item


def test_an_item_above_its_cap_stops_the_submission(province, officer):
    scheme, _item = _above_cap(province)
    with pytest.raises(TransitionRefused, match="vượt định mức hỗ trợ"):
        _step(scheme, "submit", officer)
    assert [m.message for m in next_step(scheme, officer).missing] == [ITEMS_ABOVE_CAPS]


def test_an_item_above_its_cap_with_an_exception_passes(province, officer, manager):
    scheme, item = _above_cap(province)
    f_rule = services.caps.rule_for(scheme, item.activity_type)
    RuleException.objects.create(
        scheme=scheme,
        item=item,
        rule=f_rule,
        allowed_amount=200 * TR,
        granted_amount=300 * TR,
        reason="Máy chuyên dụng, giá thị trường cao hơn định mức",
        recorded_by=officer,
    )
    assert _step(scheme, "submit", officer).status == "submitted"
    assert _step(scheme, "approve", manager, **DECISION).status == "approved"


def test_the_caps_of_the_decisions_day_hold_on_approval(province, officer, manager):
    """The caps are checked again on the decision's date: submitted within today's caps, the
    scheme is not approved on a day whose caps it exceeds."""
    scheme, _item = _above_cap(province)
    scheme.items.update(support_amount=200 * TR)
    scheme.beneficiaries.update(support_amount=200 * TR)
    type(scheme).objects.filter(pk=scheme.pk).update(budget=200 * TR)
    assert _step(scheme, "submit", officer).status == "submitted"
    rule = services.caps.rule_for(scheme, scheme.activity_type)
    type(rule).objects.filter(pk=rule.pk).update(valid_from=datetime.date(2023, 1, 1))
    stricter = type(rule).objects.create(
        activity_type=rule.activity_type,
        funding_source=rule.funding_source,
        per=rule.per,
        percent=rule.percent,
        cap_amount=100 * TR,
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2022, 12, 31),
        legal_text="Thông tư cũ",
    )
    assert stricter.pk
    with pytest.raises(TransitionRefused, match="vượt định mức hỗ trợ"):
        _step(scheme, "approve", manager, **DECISION)
