"""Activities as the forms offer them: by code first, and a facility's request only among those
a facility can ask for (not the programme's own publicity, cooperation or management)."""

import pytest
from django.urls import reverse

from beneficiaries.forms import SupportRequestForm
from beneficiaries.models import SupportRequest
from khuyencong.models import ActivityType
from khuyencong.reference import PROGRAMME_ACTIVITIES
from schemes.forms import ItemForm, SchemeForm, SupportRuleForm
from tests import factories as f

pytestmark = pytest.mark.django_db


def labels(form):
    return [label for value, label in form.fields["activity_type"].choices if value]


def test_the_programmes_own_activities_are_marked_by_the_migration():
    marked = ActivityType.objects.filter(for_facilities=False).values_list("code", flat=True)
    assert sorted(marked) == sorted(PROGRAMME_ACTIVITIES)
    assert ActivityType.objects.filter(code="03.3", for_facilities=True).exists()


def test_a_request_offers_only_what_a_facility_can_ask_for(district_user):
    offered = labels(SupportRequestForm(user=district_user))
    assert "03.3 – Ứng dụng máy móc thiết bị tiên tiến vào sản xuất" in offered
    assert not [label for label in offered if label[:4] in PROGRAMME_ACTIVITIES]


def test_a_request_for_a_programme_activity_is_refused(login, district_user, province):
    facility = f.FacilityFactory(unit=province.commune)
    publicity = ActivityType.objects.get(code="06.1")
    response = login(district_user).post(
        reverse("beneficiaries:request_create"),
        {
            "facility": facility.pk,
            "year": 2027,
            "activity_type": publicity.pk,
            "content": "Tuyên truyền",
            "total_cost": "100.000.000",
            "counterpart": "50.000.000",
            "support_requested": "50.000.000",
        },
    )
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize(
    "make",
    [
        lambda user: SchemeForm(user=user),
        lambda user: ItemForm(),
        lambda user: SupportRuleForm(),
    ],
    ids=["scheme", "item", "rule"],
)
def test_scheme_forms_show_the_code_first(officer, make):
    offered = labels(make(officer))
    assert "03.3 – Ứng dụng máy móc thiết bị tiên tiến vào sản xuất" in offered
    assert "06.1 – Thông tin, tuyên truyền về khuyến công" in offered  # the programme's own
    assert all(label[:2].isdigit() and " – " in label for label in offered)
