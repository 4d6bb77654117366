"""The plan builder checks each picked request against the cap of the plan's funding source
before it writes: the page shows the amount it will write and the rule; the schemes are written
within the cap, the part above it as the facility's counterpart."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import SupportRequest
from khuyencong.models import AdministrativeUnit
from schemes import caps, planning
from schemes.models import Plan, Scheme
from schemes.reference import ensure_support_rules
from tests import factories as f

pytestmark = pytest.mark.django_db
TR = 1_000_000


@pytest.fixture
def plan(province):
    ensure_support_rules()
    return f.PlanFactory(
        unit=province.province,
        year=2027,
        title="Kế hoạch khuyến công quốc gia năm 2027",
        status=Plan.Status.DRAFT,
        decision_number="",
        decision_date=None,
        budget=1_000 * TR,
    )


def machinery(facility, support, counterpart):
    """A machinery request (03.3: ≤ 50 % of the cost and ≤ 200 tr per facility, national)."""
    return f.SupportRequestFactory(
        facility=facility,
        year=2027,
        activity_type=f.ActivityTypeFactory(),
        total_cost=support + counterpart,
        support_requested=support,
        counterpart=counterpart,
        status=SupportRequest.Status.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(days=3),
    )


@pytest.fixture
def above(province):
    return machinery(
        f.FacilityFactory(unit=province.commune, name="Chè Tân Quang"), 400 * TR, 500 * TR
    )


@pytest.fixture
def within(province):
    return machinery(
        f.FacilityFactory(unit=province.commune, name="Mộc Việt Lâm"), 150 * TR, 150 * TR
    )


def test_the_page_shows_the_capped_amount_and_the_rule_before_writing(
    login, officer, plan, above, within
):
    page = login(officer).get(reverse("plans:plan_builder", args=[plan.pk])).text
    notice = page[page.index('id="vuot-dinh-muc"') :]
    assert "1 đăng ký vượt định mức hỗ trợ của nguồn Khuyến công quốc gia" in notice
    assert "Chè Tân Quang: đề nghị 400.000.000 đ, sẽ ghi <strong>200.000.000 đ</strong>" in notice
    assert "đối ứng 700.000.000 đ" in notice
    assert "≤ 50 % chi phí và ≤ 200.000.000 đ mỗi cơ sở theo Thông tư liên tịch 26/2014" in notice
    assert "phần vượt chuyển thành đối ứng của cơ sở" in notice
    assert f'value="{above.pk}" data-amount="{200 * TR}"' in page
    assert not Scheme.objects.exists()


def test_the_builder_writes_within_the_cap(officer, plan, above, within, province):
    [scheme] = planning.build_schemes(
        plan_id=plan.pk, request_ids=[above.pk, within.pk], user=officer
    )
    # 400 tr asked, 200 tr allowed: 200 tr written, the 200 tr above it the facility's own.
    link = scheme.beneficiaries.get(request=above)
    assert (link.support_amount, link.counterpart_amount) == (200 * TR, 700 * TR)
    other = scheme.beneficiaries.get(request=within)
    assert (other.support_amount, other.counterpart_amount) == (150 * TR, 150 * TR)
    assert scheme.budget == 350 * TR and scheme.counterpart_budget == 850 * TR
    [item] = scheme.items.all()
    assert (item.support_amount, item.counterpart_amount) == (350 * TR, 850 * TR)
    assert caps.uncovered_breaches(scheme) == []  # the scheme's own cap check agrees
    assert plan.allocated_total() == 350 * TR


def test_the_budget_is_checked_on_what_is_written(officer, plan, above, province):
    plan.budget = 250 * TR  # 400 tr asked would not fit; 200 tr written does
    plan.save()
    planning.build_schemes(plan_id=plan.pk, request_ids=[above.pk], user=officer)
    assert Scheme.objects.get().budget == 200 * TR


def test_the_suggestion_fits_the_capped_amounts(officer, plan, above, within):
    plan.budget = 360 * TR
    plan.save()
    candidates, _available, left = planning.rank(plan, officer)
    assert [c.suggested for c in candidates] == [True, True]  # 200 + 150 ≤ 360
    assert left == 10 * TR


def test_a_priority_area_raises_the_cap(officer, plan, province):
    AdministrativeUnit.objects.filter(pk=province.other_district.pk).update(is_highland=True)
    req = machinery(f.FacilityFactory(unit=province.other_commune), 400 * TR, 500 * TR)
    [scheme] = planning.build_schemes(plan_id=plan.pk, request_ids=[req.pk], user=officer)
    assert scheme.beneficiaries.get().support_amount == 300 * TR  # 200 tr × 1,5
    assert caps.uncovered_breaches(scheme) == []


def test_a_local_plan_is_checked_against_the_local_funds_rules(officer, province, above):
    local = f.FundingSourceFactory(code="KCDP", short_name="ĐP", name="Khuyến công địa phương")
    plan = f.PlanFactory(
        unit=province.province, year=2027, funding_source=local, status=Plan.Status.DRAFT
    )
    # No local rule for machinery here: nothing to cap.
    [scheme] = planning.build_schemes(plan_id=plan.pk, request_ids=[above.pk], user=officer)
    assert scheme.budget == 400 * TR


def test_requests_under_a_cap_not_per_facility_each_make_their_own_scheme(
    officer, plan, province, within
):
    """Two brands in one scheme would share one brand's cap (04.3: ≤ 35 tr per brand)."""
    branding = f.ActivityTypeFactory(code="04.3", name="Xây dựng thương hiệu")
    brands = [
        f.SupportRequestFactory(
            facility=f.FacilityFactory(unit=province.commune),
            year=2027,
            activity_type=branding,
            total_cost=80 * TR,
            support_requested=support,
            counterpart=80 * TR - support,
            status=SupportRequest.Status.SUBMITTED,
        )
        for support in (30 * TR, 50 * TR)
    ]
    other = machinery(f.FacilityFactory(unit=province.commune), 100 * TR, 100 * TR)
    schemes = planning.build_schemes(
        plan_id=plan.pk, request_ids=[within.pk, other.pk, *(b.pk for b in brands)], user=officer
    )
    assert sorted((s.kind, s.budget) for s in schemes) == [
        (Scheme.Kind.GROUP, 250 * TR),  # the two machinery requests, a cap per facility
        (Scheme.Kind.SINGLE, 30 * TR),
        (Scheme.Kind.SINGLE, 35 * TR),  # 50 tr asked, 35 tr the brand's cap
    ]
    assert all(caps.uncovered_breaches(s) == [] for s in schemes)
