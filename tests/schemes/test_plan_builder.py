"""The plan builder: ranking by the province's weights, the budget fit, and the draft schemes
made from the requests picked. The expected answers are worked out by hand in each test."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import PriorityWeight, SupportRequest
from schemes import planning
from schemes.models import Plan, Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db
TR = 1_000_000  # một triệu đồng


def _at(day):
    return timezone.make_aware(datetime.datetime(2022, 12, day, 9, 0))


@pytest.fixture
def plan(province):
    return f.PlanFactory(
        unit=province.province,
        year=2023,
        title="Kế hoạch khuyến công năm 2023",
        status=Plan.Status.DRAFT,
        decision_number="",
        decision_date=None,
        budget=500 * TR,
    )


@pytest.fixture
def requests(province):
    machinery = f.ActivityTypeFactory(code="03.3", name="Ứng dụng máy móc thiết bị")
    branding = f.ActivityTypeFactory(code="04.2", name="Hội chợ, triển lãm")  # no national cap

    def submitted(name, commune, activity, support, day, *flags):
        return f.SupportRequestFactory(
            facility=f.FacilityFactory(name=name, unit=commune),
            year=2023,
            activity_type=activity,
            total_cost=3 * support,
            support_requested=support,
            counterpart=support,
            status=SupportRequest.Status.SUBMITTED,
            submitted_at=_at(day),
            **dict.fromkeys(flags, True),
        )

    c, other = province.commune, province.other_commune
    return {
        "r1": submitted(
            "Chè Tân Quang", c, machinery, 200 * TR, 2, "local_strength", "labour_intensive"
        ),
        "r2": submitted("Mật ong Vĩnh Tuy", c, branding, 250 * TR, 2, "new_technology"),
        "r3": submitted(
            "Rượu ngô Lũng Cú",
            c,
            machinery,
            150 * TR,
            3,
            "local_strength",
            "local_materials",
            "environment_friendly",
        ),
        "r4": submitted("Thổ cẩm Lũng Cú", other, machinery, 100 * TR, 1, "labour_intensive"),
        "r5": submitted("Miến dong Tân Quang", c, branding, 40 * TR, 4),
    }


def _checked(page, request):
    return re.search(rf'value="{request.pk}"[^>]*checked', page) is not None


def _order(candidates, requests):
    names = {r.pk: key for key, r in requests.items()}
    return [names[c.request.pk] for c in candidates]


def _suggested(candidates, requests):
    names = {r.pk: key for key, r in requests.items()}
    return [names[c.request.pk] for c in candidates if c.suggested]


def test_ranks_by_score_then_submission_and_fits_the_budget(plan, requests, officer):
    candidates, available, left = planning.rank(plan, officer)
    # Scores with one point per flag: r3 3, r1 2, r4 1 (sent 1/12), r2 1 (sent 2/12), r5 0.
    assert _order(candidates, requests) == ["r3", "r1", "r4", "r2", "r5"]
    # 500 tr: r3 150 → 350 left; r1 200 → 150; r4 100 → 50; r2 250 does not fit; r5 40 → 10.
    assert _suggested(candidates, requests) == ["r3", "r1", "r4", "r5"]
    assert available == 500 * TR and left == 10 * TR


def test_the_provinces_weights_change_the_ranking(plan, requests, officer):
    PriorityWeight.objects.filter(flag="new_technology").update(weight=5)
    candidates, _available, left = planning.rank(plan, officer)
    # r2 now scores 5; the others are unchanged.
    assert _order(candidates, requests) == ["r2", "r3", "r1", "r4", "r5"]
    # 500: r2 250 → 250; r3 150 → 100; r1 200 no; r4 100 → 0; r5 40 no.
    assert _suggested(candidates, requests) == ["r2", "r3", "r4"]
    assert left == 0


def test_what_schemes_already_take_is_not_offered_again(plan, requests, officer, province):
    f.SchemeFactory(plan=plan, unit=province.district, budget=300 * TR)
    candidates, available, left = planning.rank(plan, officer)
    # 200 left: r3 150 → 50; r1, r4, r2 do not fit; r5 40 → 10.
    assert available == 200 * TR
    assert _suggested(candidates, requests) == ["r3", "r5"]
    assert left == 10 * TR


def test_builds_a_group_scheme_per_shared_activity_and_links_the_requests(
    plan, requests, officer, province
):
    picked = [requests[k].pk for k in ("r3", "r1", "r4", "r5")]
    schemes = planning.build_schemes(plan_id=plan.pk, request_ids=picked, user=officer)

    assert len(schemes) == 2
    group = next(s for s in schemes if s.kind == Scheme.Kind.GROUP)
    single = next(s for s in schemes if s.kind == Scheme.Kind.SINGLE)
    assert group.budget == 450 * TR and group.counterpart_budget == 450 * TR
    assert group.unit == province.province  # facilities in two districts
    assert group.beneficiaries.count() == 3
    assert single.budget == 40 * TR and single.unit == province.district
    assert single.status == group.status == Scheme.Status.PROPOSED
    assert group.code != single.code
    for key in ("r3", "r1", "r4", "r5"):
        r = SupportRequest.objects.get(pk=requests[key].pk)
        assert r.status == SupportRequest.Status.INCLUDED
        assert r.scheme_link.scheme in schemes
        assert r.history.first().history_user == officer
    assert SupportRequest.objects.get(pk=requests["r2"].pk).status == "submitted"
    assert plan.allocated_total() == 490 * TR


def test_refuses_a_pick_beyond_the_budget_and_writes_nothing(plan, requests, officer):
    picked = [requests[k].pk for k in ("r2", "r1", "r3")]  # 600 tr > 500 tr
    with pytest.raises(planning.PlanningRefused, match="vượt phần kinh phí còn lại"):
        planning.build_schemes(plan_id=plan.pk, request_ids=picked, user=officer)
    assert not Scheme.objects.exists()
    assert set(SupportRequest.objects.values_list("status", flat=True)) == {"submitted"}


def test_a_plan_waiting_for_the_managers_approval_takes_no_new_scheme(plan, requests, officer):
    plan.status = "submitted"
    plan.save()
    with pytest.raises(planning.PlanningRefused, match="đang chờ lãnh đạo phê duyệt"):
        planning.build_schemes(plan_id=plan.pk, request_ids=[requests["r5"].pk], user=officer)
    assert not Scheme.objects.exists()


def test_a_request_already_taken_is_refused(plan, requests, officer):
    pick = [requests["r5"].pk]
    planning.build_schemes(plan_id=plan.pk, request_ids=pick, user=officer)
    with pytest.raises(planning.PlanningRefused, match="đã được xử lý"):
        planning.build_schemes(plan_id=plan.pk, request_ids=pick, user=officer)
    assert Scheme.objects.count() == 1


def test_the_page_shows_the_ranking_and_builds_on_submit(login, plan, requests, officer):
    client = login(officer)
    url = reverse("plans:plan_builder", args=[plan.pk])
    page = client.get(url).text
    positions = [page.index(requests[k].facility.name) for k in ("r3", "r1", "r4", "r2", "r5")]
    assert positions == sorted(positions)
    assert [k for k in requests if _checked(page, requests[k])] == ["r1", "r3", "r4", "r5"]
    response = client.post(url, {"pick": [requests["r3"].pk, requests["r1"].pk]}, follow=True)
    assert "Đã lập 1 đề án dự thảo" in response.text
    assert Scheme.objects.get().beneficiaries.count() == 2


def test_a_refused_pick_keeps_the_officers_choice(login, plan, requests, officer):
    url = reverse("plans:plan_builder", args=[plan.pk])
    picked = [requests[k].pk for k in ("r2", "r1", "r3")]
    page = login(officer).post(url, {"pick": picked}).text
    assert "vượt phần kinh phí còn lại" in page
    for key in ("r2", "r1", "r3"):
        assert _checked(page, requests[key])
    assert not _checked(page, requests["r4"])  # suggested at first, not picked by the officer
    assert not Scheme.objects.exists()


def test_weights_are_saved_by_an_officer_with_history(login, plan, officer):
    data = dict.fromkeys(SupportRequest.PRIORITY_FLAGS, 1) | {"local_strength": 4}
    login(officer).post(reverse("plans:plan_weights", args=[plan.pk]), data)
    weight = PriorityWeight.objects.get(flag="local_strength")
    assert weight.weight == 4 and weight.history.first().history_user == officer


def test_weights_out_of_range_are_refused(login, plan, officer):
    data = dict.fromkeys(SupportRequest.PRIORITY_FLAGS, 1) | {"local_strength": 99}
    response = login(officer).post(reverse("plans:plan_weights", args=[plan.pk]), data, follow=True)
    assert "từ 0 đến 10" in response.text
    assert PriorityWeight.current()["local_strength"] == 1


@pytest.mark.parametrize("who", ["district_user", "manager"])
def test_only_officers_build(request, login, plan, requests, who):
    client = login(request.getfixturevalue(who))
    url = reverse("plans:plan_builder", args=[plan.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"pick": [requests["r5"].pk]}).status_code == 403
    assert not Scheme.objects.exists()
