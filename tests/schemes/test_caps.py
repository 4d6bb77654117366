"""Support caps as data: the rule valid on the approval date, its boundaries to the đồng, the
priority-area multiplier, exceptions with a reason, and the double-funding warning."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from khuyencong.models import AdministrativeUnit, User
from schemes import caps, services
from schemes.models import RuleException, Scheme, SupportRule
from schemes.reference import LEGAL_TEXT, ensure_support_rules
from tests import factories as f

pytestmark = pytest.mark.django_db

TR = 1_000_000
D = datetime.date


@pytest.fixture
def machinery(province):
    """A national machinery scheme, still a proposal, with one facility of Bắc Quang."""
    ensure_support_rules()
    activity = f.ActivityTypeFactory()  # 03.3: ≤ 50 % and ≤ 200 tr per facility
    plan = f.PlanFactory(unit=province.province, year=2024, funding_source=f.FundingSourceFactory())
    scheme = f.SchemeFactory(
        plan=plan,
        unit=province.district,
        activity_type=activity,
        budget=900 * TR,
        status=Scheme.Status.PROPOSED,
    )
    f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=f.FacilityFactory(unit=province.commune), support_amount=TR
    )
    return scheme


def _as_submitted(scheme):
    """The scheme submitted for approval with its money equal to its items: set as a proposal
    submitted before a cap it now exceeds held (the submission checks today's caps)."""
    items = list(scheme.items.all())
    Scheme.objects.filter(pk=scheme.pk).update(
        status=Scheme.Status.SUBMITTED,
        budget=sum(i.support_amount for i in items),
        counterpart_budget=sum(i.counterpart_amount for i in items),
    )
    scheme.refresh_from_db()
    return scheme


def _new_machinery_cap_from_2025(cap):
    """A later circular: the old machinery rule ends on 31/12/2024, a new one starts."""
    old = SupportRule.objects.get(activity_type__code="03.3", funding_source__code="KCQG")
    old.valid_to = D(2024, 12, 31)
    old.save()
    SupportRule.objects.create(
        activity_type=old.activity_type,
        funding_source=old.funding_source,
        per="facility",
        percent=50,
        cap_amount=cap,
        valid_from=D(2025, 1, 1),
        legal_text="Thông tư mới (thử)",
    )
    return old


def add(scheme, user, support, counterpart, reason=""):
    return services.scheme_item_add(
        scheme=scheme,
        user=user,
        activity_type=scheme.activity_type,
        description="Máy sao chè",
        support_amount=support,
        counterpart=counterpart,
        exception_reason=reason,
    )


def test_the_national_caps_are_seeded_as_that_text():
    ensure_support_rules()
    rule = SupportRule.objects.get(activity_type__code="03.3", funding_source__code="KCQG")
    assert (rule.percent, rule.cap_amount, rule.per) == (50, 200 * TR, "facility")
    assert rule.legal_text == LEGAL_TEXT == "Thông tư liên tịch 26/2014/TTLT-BTC-BCT"
    assert SupportRule.objects.filter(legal_text=LEGAL_TEXT).count() == 7


def test_equal_to_the_cap_passes_one_dong_above_is_refused(machinery, officer):
    add(machinery, officer, 200 * TR, 200 * TR)  # 50 % of 400 tr, and the 200 tr cap
    with pytest.raises(services.RuleBroken) as refused:
        add(machinery, officer, 200 * TR + 1, 200 * TR + 2)
    message = str(refused.value)
    assert "Ứng dụng máy móc thiết bị tiên tiến vào sản xuất" in message
    assert LEGAL_TEXT in message and "mức tối đa được hỗ trợ là 200.000.000 đ" in message
    assert machinery.items.count() == 1


def test_the_share_of_cost_binds_before_the_amount(machinery, officer):
    with pytest.raises(services.RuleBroken, match=r"tối đa được hỗ trợ là 50\.000\.000 đ"):
        add(machinery, officer, 50 * TR + 1, 50 * TR - 1)  # 50 % of 100 tr
    add(machinery, officer, 50 * TR, 50 * TR)


def test_a_priority_area_raises_the_amount_by_its_multiplier(machinery, officer, province):
    AdministrativeUnit.objects.filter(pk=province.district.pk).update(is_border=True)
    add(machinery, officer, 300 * TR, 300 * TR)  # 200 tr × 1,5
    with pytest.raises(services.RuleBroken, match=r"300\.000\.000 đ \(đã nhân hệ số"):
        add(machinery, officer, 300 * TR + 1, 300 * TR + 1)


def test_a_cap_per_facility_counts_each_beneficiary(machinery, officer, province):
    f.SchemeBeneficiaryFactory(
        scheme=machinery, facility=f.FacilityFactory(unit=province.commune), support_amount=TR
    )
    add(machinery, officer, 400 * TR, 400 * TR)  # two facilities, 200 tr each


def test_the_rule_valid_on_the_approval_date_applies(machinery, officer):
    old = _new_machinery_cap_from_2025(250 * TR)
    kwargs = {
        "activity_type": old.activity_type,
        "support_amount": 250 * TR,
        "counterpart": 250 * TR,
    }
    machinery.approval_date = D(2024, 12, 31)
    assert caps.breach(machinery, **kwargs).allowed == 200 * TR
    machinery.approval_date = D(2025, 1, 1)
    assert caps.breach(machinery, **kwargs) is None


def test_an_exception_needs_the_permission_and_a_reason(machinery, officer, manager):
    with pytest.raises(services.RuleBroken, match="Chỉ cán bộ được phân quyền"):
        add(machinery, officer, 250 * TR, 250 * TR, reason="Máy đặc chủng")
    officer.user_permissions.add(Permission.objects.get(codename="add_ruleexception"))
    officer = User.objects.get(pk=officer.pk)  # permissions are cached on the instance
    with pytest.raises(services.RuleBroken, match="Lý do vượt định mức"):
        add(machinery, officer, 250 * TR, 250 * TR)  # no reason given
    item = add(machinery, officer, 250 * TR, 250 * TR, reason="Máy đặc chủng, giá niêm yết")
    exception = RuleException.objects.get(item=item)
    assert (exception.allowed_amount, exception.granted_amount) == (200 * TR, 250 * TR)
    assert exception.history.first().history_change_reason.startswith("Ngoại lệ định mức")
    assert caps.uncovered_breaches(machinery) == []


def test_a_long_exception_reason_is_kept_whole_on_the_exception(machinery, officer):
    officer.user_permissions.add(Permission.objects.get(codename="add_ruleexception"))
    officer = User.objects.get(pk=officer.pk)
    reason = "Máy sấy chè đặc chủng cho vùng cao, chỉ một nhà cung cấp có báo giá; " * 8

    item = add(machinery, officer, 250 * TR, 250 * TR, reason=reason)

    exception = RuleException.objects.get(item=item)
    assert exception.reason == reason.strip()
    change = exception.history.first().history_change_reason
    assert len(change) == 100 and change.startswith("Ngoại lệ định mức: Máy sấy chè")


def test_an_item_above_its_cap_holds_back_approval_until_excepted(machinery, manager):
    from schemes.models import SchemeItem

    SchemeItem.objects.create(  # written before the rule existed, say
        scheme=machinery,
        activity_type=machinery.activity_type,
        description="Máy sấy",
        support_amount=260 * TR,
        counterpart_amount=260 * TR,
    )
    _as_submitted(machinery)
    decision = {"decision_number": "5/QĐ", "decision_date": D(2024, 3, 1)}
    with pytest.raises(services.TransitionRefused, match="vượt định mức"):
        services.scheme_transition(scheme_id=machinery.pk, name="approve", user=manager, **decision)


def test_the_scheme_page_shows_approval_held_back_by_a_cap_and_why(machinery, manager, client):
    machinery.items.create(
        activity_type=machinery.activity_type,
        description="Máy sấy",
        support_amount=260 * TR,
        counterpart_amount=260 * TR,
    )
    _as_submitted(machinery)
    client.force_login(manager)
    page = client.get(reverse("schemes:scheme_detail", args=[machinery.pk])).content.decode()
    assert '<button class="btn" type="button" disabled' in page
    assert "Có hạng mục vượt định mức hỗ trợ mà chưa được ghi nhận ngoại lệ" in page
    assert 'name="decision_number"' not in page  # no approval form beside the disabled button


def test_the_rules_page_is_kept_by_permitted_officers_only(client, officer, district_user):
    ensure_support_rules()
    client.force_login(district_user)
    assert client.get(reverse("schemes:rule_list")).status_code == 200  # the law is public
    assert client.get(reverse("schemes:rule_create")).status_code == 403
    client.force_login(officer)
    assert client.get(reverse("schemes:rule_create")).status_code == 403
    officer.user_permissions.add(Permission.objects.get(codename="change_supportrule"))
    client.force_login(officer)
    rule = SupportRule.objects.get(activity_type__code="04.3")
    page = client.post(
        reverse("schemes:rule_edit", args=[rule.pk]),
        {
            "activity_type": rule.activity_type_id,
            "funding_source": rule.funding_source_id,
            "per": rule.per,
            "percent": 50,
            "cap_amount": "35.000.000",
            "priority_multiplier": "1.5",
            "valid_from": "04/04/2014",
            "valid_to": "31/12/2025",
            "legal_text": rule.legal_text,
            "note": "",
            "version": rule.updated_at.isoformat(),
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.valid_to == D(2025, 12, 31)
    assert rule.history.first().history_user == officer
    assert client.post(reverse("schemes:rule_create"), {}).status_code == 403  # may not add
    officer.user_permissions.add(Permission.objects.get(codename="add_supportrule"))
    page = client.post(reverse("schemes:rule_create"), {"legal_text": "x"})
    assert page.status_code == 200 and "Cần ít nhất một mức tối đa" in page.content.decode()


def test_a_facility_funded_for_the_same_activity_lately_is_warned_of(machinery, province):
    facility = machinery.beneficiaries.get().facility
    earlier = f.SchemeFactory(
        plan=f.PlanFactory(
            unit=province.province,
            year=2021,
            funding_source=f.FundingSourceFactory(
                code="KCDP", name="Khuyến công địa phương", short_name="KCĐP"
            ),
        ),
        activity_type=machinery.activity_type,
        code="ĐP-2021-03",
    )
    f.SchemeBeneficiaryFactory(scheme=earlier, facility=facility, support_amount=TR)
    later = f.SchemeFactory(plan=machinery.plan, activity_type=machinery.activity_type)
    warning = services.double_funding_warning(later, facility)
    assert "ĐP-2021-03 (năm 2021)" in warning and "không hỗ trợ trùng" in warning
    earlier.plan.year = 2020  # four years before: no longer within the window
    earlier.plan.save()
    assert "ĐP-2021-03" not in services.double_funding_warning(later, facility)


def test_no_contract_with_a_beneficiary_who_has_not_declared(province, officer):
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.district,
        status=Scheme.Status.APPROVED,
        approval_number="1/QĐ",
        approval_date=D(2022, 3, 1),
    )
    undeclared = f.SchemeBeneficiaryFactory(scheme=scheme, no_other_state_funding=False)
    sign = {
        "scheme": scheme,
        "user": officer,
        "number": "01/HĐ",
        "signed_on": D(2022, 4, 1),
        "value": 100 * TR,
        "party_name": undeclared.facility.name,
        "beneficiary": undeclared,
    }
    with pytest.raises(services.RuleBroken, match="chưa cam kết không nhận hỗ trợ trùng"):
        services.contract_sign(**sign)
    undeclared.no_other_state_funding = True
    undeclared.save()
    assert services.contract_sign(**sign).value == 100 * TR


def test_choosing_a_basis_never_lifts_a_cap(machinery, officer):
    with pytest.raises(services.RuleBroken, match=r"tối đa được hỗ trợ là 200\.000\.000 đ"):
        services.scheme_item_add(
            scheme=machinery,
            user=officer,
            activity_type=machinery.activity_type,
            description="Máy sao chè",
            support_amount=800 * TR,
            counterpart=800 * TR,
            basis="round",  # no such rule for machinery: the strictest holds
        )


def test_items_of_one_activity_share_the_cap(machinery, officer):
    add(machinery, officer, 150 * TR, 150 * TR)
    with pytest.raises(services.RuleBroken, match=r"250\.000\.000 đ \(các hạng mục cùng nội dung"):
        add(machinery, officer, 100 * TR, 100 * TR)  # 250 tr for one facility
    add(machinery, officer, 50 * TR, 50 * TR)


def test_each_facility_in_a_priority_area_raises_its_own_share(machinery, officer, province):
    AdministrativeUnit.objects.filter(pk=province.other_district.pk).update(is_poor=True)
    f.SchemeBeneficiaryFactory(
        scheme=machinery, facility=f.FacilityFactory(unit=province.other_commune), support_amount=1
    )
    add(machinery, officer, 500 * TR, 500 * TR)  # 200 tr in Bắc Quang + 300 tr in Đồng Văn
    with pytest.raises(services.RuleBroken):
        add(machinery, officer, 1, 1)


def test_approval_checks_the_rule_valid_on_the_decision_date(machinery, officer, manager):
    _new_machinery_cap_from_2025(100 * TR)
    machinery.items.create(
        activity_type=machinery.activity_type,
        description="Máy sấy",
        support_amount=150 * TR,
        counterpart_amount=150 * TR,
    )
    _as_submitted(machinery)
    approve = {"scheme_id": machinery.pk, "name": "approve", "user": manager}
    with pytest.raises(services.TransitionRefused, match="vượt định mức"):
        services.scheme_transition(**approve, decision_number="7/QĐ", decision_date=D(2025, 2, 1))
    services.scheme_transition(**approve, decision_number="6/QĐ", decision_date=D(2024, 6, 1))


def test_removing_a_facility_may_not_leave_an_item_above_its_cap(machinery, officer, manager):
    second = f.SchemeBeneficiaryFactory(scheme=machinery, support_amount=TR)
    add(machinery, officer, 400 * TR, 400 * TR)  # two facilities' caps
    Scheme.objects.filter(pk=machinery.pk).update(budget=400 * TR, counterpart_budget=400 * TR)
    services.scheme_transition(scheme_id=machinery.pk, name="submit", user=officer)
    services.scheme_transition(
        scheme_id=machinery.pk,
        name="approve",
        user=manager,
        decision_number="8/QĐ",
        decision_date=D(2024, 3, 1),
    )
    with pytest.raises(services.RuleBroken, match="Không thể thay đổi"):
        services.beneficiary_remove(second, user=officer)
    assert machinery.beneficiaries.count() == 2


def test_the_declaration_may_be_recorded_while_contracts_are_signed(province, officer):
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.district,
        status=Scheme.Status.CONTRACTED,
        approval_number="1/QĐ",
        approval_date=D(2022, 3, 1),
    )
    link = f.SchemeBeneficiaryFactory(scheme=scheme, no_other_state_funding=False)
    services.beneficiary_declare(link, user=officer)
    link.refresh_from_db()
    assert link.no_other_state_funding
