"""The province's own caps of the local fund: checked as the national ones are, against the
rule valid on the scheme's approval date (Hà Giang's until 30/06/2025, Tuyên Quang's after), and
the caps page showing which rules hold on a chosen day."""

import datetime
import re
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Sum
from django.urls import reverse

from khuyencong.models import AdministrativeUnit, User
from khuyencong.reference import ensure_reference_lists
from schemes import caps, services
from schemes.models import Scheme, SupportRule
from schemes.reference import DEMO_LABEL, ensure_support_rules
from tests import factories as f

pytestmark = pytest.mark.django_db

TR = 1_000_000
D = datetime.date
HA_GIANG = "Nghị quyết của HĐND tỉnh Hà Giang"
TUYEN_QUANG = "Nghị quyết của HĐND tỉnh Tuyên Quang"


@pytest.fixture
def caps_loaded(db):
    ensure_reference_lists()
    ensure_support_rules(local=True)


def _machinery_scheme(province, source, **kwargs):
    """A machinery (03.3) scheme of the fund `source`, still a proposal, with one facility."""
    plan = f.PlanFactory(
        unit=province.province,
        year=kwargs.pop("year", 2026),
        funding_source=f.FundingSourceFactory(code=source),
    )
    scheme = f.SchemeFactory(
        plan=plan,
        unit=province.district,
        activity_type=f.ActivityTypeFactory(code="03.3"),
        budget=900 * TR,
        status=Scheme.Status.PROPOSED,
        **kwargs,
    )
    f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=f.FacilityFactory(unit=province.commune), support_amount=TR
    )
    return scheme


def add(scheme, user, support, counterpart):
    return services.scheme_item_add(
        scheme=scheme,
        user=user,
        activity_type=scheme.activity_type,
        description="Máy ép, đóng chai nước cam",
        support_amount=support,
        counterpart=counterpart,
    )


def _approve(scheme, manager, day):
    """Submitted (its money set to its items') if still a proposal, then approved on `day`."""
    scheme.refresh_from_db()
    if scheme.status == Scheme.Status.PROPOSED:
        items = scheme.items.aggregate(s=Sum("support_amount"), c=Sum("counterpart_amount"))
        Scheme.objects.filter(pk=scheme.pk).update(budget=items["s"], counterpart_budget=items["c"])
        f.submitted(scheme)
    return services.scheme_transition(
        scheme_id=scheme.pk,
        name="approve",
        user=manager,
        decision_number="12/QĐ-UBND",
        decision_date=day,
    )


def test_the_migration_seeds_national_caps_only_the_demo_adds_local_ones(db):
    ensure_reference_lists()
    ensure_support_rules()
    assert not SupportRule.objects.filter(funding_source__code="KCDP").exists()
    ensure_support_rules(local=True)
    ensure_support_rules(local=True)  # idempotent
    local = SupportRule.objects.filter(funding_source__code="KCDP")
    assert local.count() == 8
    assert all(DEMO_LABEL in rule.legal_text for rule in local)
    hg = local.get(activity_type__code="03.3", valid_from=D(2022, 1, 1))
    assert (hg.percent, hg.cap_amount, hg.valid_to) == (50, 150 * TR, D(2025, 6, 30))
    tq = local.get(activity_type__code="03.3", valid_from=D(2025, 7, 1))
    assert (tq.percent, tq.cap_amount, tq.valid_to) == (50, 250 * TR, None)


def test_a_local_item_above_the_tuyen_quang_cap_is_refused_as_a_national_one(
    caps_loaded, province, officer
):
    local = _machinery_scheme(province, "KCDP")  # a proposal: today's caps (December 2026)
    with pytest.raises(services.RuleBroken) as refused:
        add(local, officer, 250 * TR + 1, 250 * TR + 1)
    message = str(refused.value)
    assert "mức tối đa được hỗ trợ là 250.000.000 đ" in message
    assert TUYEN_QUANG in message and DEMO_LABEL in message
    assert local.items.count() == 0
    national = _machinery_scheme(province, "KCQG")
    with pytest.raises(services.RuleBroken, match=r"mức tối đa được hỗ trợ là 200\.000\.000 đ"):
        add(national, officer, 200 * TR + 1, 200 * TR + 1)


def test_a_local_item_within_the_tuyen_quang_cap_is_saved(caps_loaded, province, officer):
    local = _machinery_scheme(province, "KCDP")
    add(local, officer, 250 * TR, 250 * TR)  # above the national 200 tr: the local cap holds
    with pytest.raises(services.RuleBroken, match=r"tối đa được hỗ trợ là 250\.000\.000 đ"):
        add(local, officer, 1, 1)  # a second item shares the facility's cap
    rule = caps.rule_for(local, local.activity_type)
    assert rule.funding_source.code == "KCDP" and rule.legal_text.startswith(TUYEN_QUANG)


def test_a_local_amount_cap_without_a_share_binds_to_the_dong(caps_loaded, province, officer):
    scheme = _machinery_scheme(province, "KCDP")
    design = f.ActivityTypeFactory(code="05.2")
    services.scheme_item_add(
        scheme=scheme,
        user=officer,
        activity_type=design,
        description="Thiết kế bao bì",
        support_amount=40 * TR,  # no counterpart: the local 05.2 cap has no share of cost
    )
    with pytest.raises(services.RuleBroken, match=r"40\.000\.000 đ"):
        services.scheme_item_add(
            scheme=scheme,
            user=officer,
            activity_type=design,
            description="Thiết kế nhãn",
            support_amount=1,
        )


def test_a_2022_local_item_is_checked_against_the_ha_giang_rule(
    caps_loaded, province, officer, manager
):
    scheme = _machinery_scheme(province, "KCDP", year=2022)
    add(scheme, officer, 160 * TR, 170 * TR)  # within today's 250 tr
    ha_giang = caps.rule_for(scheme, scheme.activity_type, day=D(2022, 4, 15))
    assert ha_giang.legal_text.startswith(HA_GIANG) and ha_giang.cap_amount == 150 * TR
    with pytest.raises(services.TransitionRefused, match="vượt định mức"):
        _approve(scheme, manager, D(2022, 4, 15))  # Hà Giang's 150 tr held on that day
    _approve(scheme, manager, D(2025, 7, 1))  # Tuyên Quang's from that day
    scheme.refresh_from_db()
    assert scheme.status == Scheme.Status.APPROVED


def test_the_scheme_page_names_the_local_rule_of_its_approval_date(
    caps_loaded, province, officer, manager, client
):
    scheme = _machinery_scheme(province, "KCDP", year=2022)
    add(scheme, officer, 120 * TR, 130 * TR)
    _approve(scheme, manager, D(2022, 4, 15))
    client.force_login(manager)
    page = client.get(reverse("schemes:scheme_detail", args=[scheme.pk])).content.decode()
    assert "≤ 50 % chi phí và ≤ 150.000.000 đ mỗi cơ sở" in page
    assert HA_GIANG in page and "Không có định mức" not in page


def test_a_priority_area_does_not_raise_the_provinces_own_cap(caps_loaded, province, officer):
    AdministrativeUnit.objects.filter(pk=province.district.pk).update(is_border=True)
    local = _machinery_scheme(province, "KCDP")
    with pytest.raises(services.RuleBroken, match=r"250\.000\.000 đ\."):
        add(local, officer, 250 * TR + 1, 250 * TR + 1)


def _fund_sections(page):
    """{fund heading: (rules holding, rules not holding)} of the caps page."""
    sections = {}
    for section in re.findall(r"<section>\s*<h2>(.*?)</h2>(.*?)</section>", page, re.S):
        heading, body = section
        holding, _, others = body.partition("<details>")
        sections[heading] = (holding, others)
    return sections


def test_the_caps_page_shows_the_rules_holding_on_the_day_asked(caps_loaded, client, officer):
    client.force_login(officer)
    url = reverse("schemes:rule_list")
    before = _fund_sections(client.get(url, {"ngay": "01/06/2025"}).content.decode())
    holding, others = before["Khuyến công địa phương (KCĐP)"]
    assert HA_GIANG in holding and TUYEN_QUANG not in holding
    assert TUYEN_QUANG in others and "Chưa có hiệu lực (từ 01/07/2025)" in others
    national_holding, _ = before["Khuyến công quốc gia (KCQG)"]
    assert "Thông tư liên tịch 26/2014/TTLT-BTC-BCT" in national_holding
    after = _fund_sections(client.get(url, {"ngay": "01/12/2026"}).content.decode())
    holding, others = after["Khuyến công địa phương (KCĐP)"]
    assert TUYEN_QUANG in holding and HA_GIANG not in holding
    assert HA_GIANG in others and "Đã hết hiệu lực (đến 30/06/2025)" in others
    assert "250.000.000 đ" in holding and "150.000.000 đ" not in holding


def test_the_caps_page_opens_on_today(caps_loaded, client, officer):
    client.force_login(officer)
    page = client.get(reverse("schemes:rule_list")).content.decode()
    today = datetime.date.today().strftime("%d/%m/%Y")
    assert f"Định mức áp dụng vào ngày <strong>{today}</strong>" in page
    assert f'value="{today}"' in page


@pytest.mark.parametrize("typed", ["31/02/2025", "hôm qua", "2025-13-01", "01/01/1800"])
def test_a_bad_day_gets_a_message_not_an_error(caps_loaded, client, officer, typed):
    client.force_login(officer)
    response = client.get(reverse("schemes:rule_list"), {"ngay": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ngày không hợp lệ" in page or "Ngày phải trong khoảng" in page
    assert "Đang hiển thị định mức áp dụng hôm nay" in page


def test_the_rule_form_sent_twice_saves_one_rule(caps_loaded, client, officer):
    officer.user_permissions.add(Permission.objects.get(codename="add_supportrule"))
    officer = User.objects.get(pk=officer.pk)
    client.force_login(officer)
    activity = f.ActivityTypeFactory(code="04.3")
    form = {
        "activity_type": activity.pk,
        "funding_source": f.FundingSourceFactory(code="KCDP").pk,
        "per": "brand",
        "percent": 50,
        "cap_amount": "40.000.000",
        "priority_multiplier": "1",
        "valid_from": "01/07/2025",
        "valid_to": "",
        "legal_text": f"Nghị quyết thử {DEMO_LABEL}",
        "note": "",
        "form_token": str(uuid.uuid4()),
    }
    url = reverse("schemes:rule_create")
    assert 'name="form_token"' in client.get(url).content.decode()
    first = client.post(url, form)
    assert first.status_code == 302, first.content.decode()[:2000]
    again = client.post(url, form, follow=True)
    assert "Biểu mẫu này đã được gửi rồi" in again.content.decode()
    assert SupportRule.objects.filter(legal_text__startswith="Nghị quyết thử").count() == 1


def test_the_demos_itemised_local_scheme_keeps_within_its_caps(
    caps_loaded, province, officer, manager
):
    """seed_demo adds these items today and approves them on the 2022 plan's date + 20 days:
    both the Tuyên Quang and the Hà Giang caps must let them through."""
    from sampledata import demo_data

    row = next(r for r in demo_data.LOCAL_SCHEMES if r[10])
    scheme = _machinery_scheme(province, "KCDP", year=2022)
    for code, description, amount, counterpart in row[10]:
        services.scheme_item_add(
            scheme=scheme,
            user=officer,
            activity_type=f.ActivityTypeFactory(code=code),
            description=description,
            support_amount=amount,
            counterpart=counterpart,
        )
    _approve(scheme, manager, demo_data.LOCAL_PLAN["decision_date"] + datetime.timedelta(20))
