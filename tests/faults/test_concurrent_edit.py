"""Two people saving one record: each opened it before the other saved, so the second save
would silently undo the first. The one who saves second is told, and what the first saved is
kept. (The facility and the scheme one after the other: tests/beneficiaries/test_facility_form.py
and tests/schemes/test_scheme_pages.py.)"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from khuyencong.guards import KEPT_PARAMETER
from schemes.models import SupportRule
from tests import factories as f
from tests.faults.browser import form_values, posted_at_once, row_held

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EDITED_MEANWHILE = "vừa được sửa"


def _plan(province, district_user, colleague, activity):
    officers = [f.UserFactory(role="officer", unit=province.province) for _ in range(2)]
    plan = f.PlanFactory(unit=province.province, status="draft", decision_number="")
    return plan, reverse("plans:plan_edit", args=[plan.pk]), "title", officers


def _request(province, district_user, colleague, activity):
    facility = f.FacilityFactory(unit=province.commune)
    req = f.SupportRequestFactory(facility=facility, activity_type=activity, dossier=False)
    url = reverse("beneficiaries:request_edit", args=[req.pk])
    return req, url, "content", [district_user, colleague]


def _rule(province, district_user, colleague, activity):
    keepers = [f.UserFactory(role="officer", unit=province.province) for _ in range(2)]
    for keeper in keepers:
        keeper.user_permissions.add(Permission.objects.get(codename="change_supportrule"))
    rule = SupportRule.objects.create(
        activity_type=activity,
        funding_source=f.FundingSourceFactory(),
        per=SupportRule.Per.FACILITY,
        percent=50,
        cap_amount=300_000_000,
        valid_from=datetime.date(2014, 4, 4),
        legal_text="Thông tư liên tịch 26/2014/TTLT-BTC-BCT",
    )
    return rule, reverse("schemes:rule_edit", args=[rule.pk]), "note", keepers


@pytest.mark.parametrize("record", [_plan, _request, _rule], ids=["plan", "request", "rule"])
def test_two_people_saving_one_record_at_once_the_second_is_told(
    record, province, district_user, colleague, activity
):
    obj, url, field, (first, second) = record(province, district_user, colleague, activity)
    edits = obj.history.count()
    posts = []
    for user, text in ((first, "Sửa của người thứ nhất"), (second, "Sửa của người thứ hai")):
        browser = Client()
        browser.force_login(user)
        opened = form_values(browser.get(url).text)  # both open the page before either saves
        posts.append((browser, url, {**opened, field: text}))

    answers = posted_at_once(posts, hold=row_held(obj))

    told = [EDITED_MEANWHILE in a.text for a in answers]
    assert sorted(told) == [False, True], [a.text[:3000] for a in answers]
    saved = posts[told.index(False)][2][field]
    refused = answers[told.index(True)]
    # Refused: the form again (through its kept page, khuyencong.guards), not the saved record.
    assert refused.status_code == 200
    assert all(f"{KEPT_PARAMETER}=" in url for url, _ in refused.redirect_chain)
    assert posts[told.index(True)][2][field] in refused.text  # what he typed is still there
    obj.refresh_from_db()
    assert getattr(obj, field) == saved
    assert obj.history.count() == edits + 1


@pytest.fixture
def beneficiary(province):
    plan = f.PlanFactory(unit=province.province)
    scheme = f.SchemeFactory(plan=plan, unit=province.district)
    return f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=f.FacilityFactory(unit=province.commune)
    )


def test_two_officers_changing_one_beneficiarys_money_the_second_is_told(
    beneficiary, province, officer
):
    colleague = f.UserFactory(role="officer", unit=province.province)
    scheme_page = reverse("schemes:scheme_detail", args=[beneficiary.scheme_id])
    action = reverse("schemes:beneficiary_update", args=[beneficiary.pk])
    mine, theirs = Client(), Client()
    mine.force_login(officer)
    theirs.force_login(colleague)
    my_form = form_values(mine.get(scheme_page).text, action)
    their_form = form_values(theirs.get(scheme_page).text, action)
    assert my_form["support_amount"] == "200.000.000"

    theirs.post(action, {**their_form, "support_amount": "180.000.000"})
    page = mine.post(action, {**my_form, "counterpart": "250.000.000"}, follow=True)

    assert EDITED_MEANWHILE in page.text and "chưa được lưu" in page.text
    beneficiary.refresh_from_db()
    assert beneficiary.support_amount == 180_000_000  # the colleague's change is not undone
    assert beneficiary.counterpart_amount == 220_000_000
