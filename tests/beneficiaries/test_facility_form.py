"""Entering a facility: validation that explains itself in Vietnamese, the commune limited to
the user's scope, a likely duplicate flagged before saving, and no edit lost to another."""

import unicodedata

import pytest
from django.urls import reverse

from beneficiaries.models import Facility
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("beneficiaries:facility_create")


@pytest.fixture
def data(province):
    return {
        "name": "Hợp tác xã chè Shan tuyết Tân Quang",
        "kind": "cooperative",
        "sector": f.SectorFactory().pk,
        "unit": province.commune.pk,
        "address": "Thôn Tân Thành",
        "owner_name": "Hoàng Thị Mai",
        "tax_code": "5100 123 456",
        "phone": "+84 912.345.678; 0219 3868 123",
        "email": "",
        "workers": "12",
        "products": "Chè xanh",
    }


def test_a_district_user_adds_a_facility_with_its_history(login, district_user, data):
    response = login(district_user).post(URL, data)
    facility = Facility.objects.get()
    assert response.url == reverse("beneficiaries:facility_detail", args=[facility.pk])
    assert facility.tax_code == "5100123456"
    assert facility.phone == "0912345678, 02193868123"
    assert facility.created_by == district_user
    assert facility.history.get().history_user == district_user


def test_text_typed_in_decomposed_form_is_stored_nfc(login, district_user, data):
    data["name"] = unicodedata.normalize("NFD", "Cơ sở mây tre đan Việt Vinh")
    login(district_user).post(URL, data)
    assert Facility.objects.get().name == "Cơ sở mây tre đan Việt Vinh"
    assert Facility.objects.filter(search_text__contains="viet vinh").exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("tax_code", "12345", "Mã số thuế gồm 10 chữ số"),
        ("tax_code", "", "Hợp tác xã phải có mã số thuế"),
        ("phone", "0912", "Số điện thoại “0912” không hợp lệ"),
        ("address", "", "Cần ghi địa chỉ trụ sở"),
        ("name", "", "Trường này là bắt buộc"),
        ("workers", "-3", "lớn hơn hoặc bằng"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    login, district_user, data, field, value, message
):
    data[field] = value
    response = login(district_user).post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    "kind, message",
    [
        ("", "Cần ghi địa chỉ trụ sở của cơ sở."),
        ("cooperative", "Cần ghi địa chỉ trụ sở của hợp tác xã."),
    ],
)
def test_the_missing_address_message_reads_whole_whatever_the_kind(
    login, district_user, data, kind, message
):
    data.update(kind=kind, address="")
    response = login(district_user).post(URL, data)
    assert message in response.content.decode()
    assert "trụ sở của ." not in response.content.decode()


def test_a_household_needs_no_tax_code_nor_address(login, district_user, data):
    data.update(kind="household", tax_code="", address="")
    login(district_user).post(URL, data)
    assert Facility.objects.get().kind == "household"


def test_a_commune_of_another_district_cannot_be_chosen(login, district_user, data, province):
    data["unit"] = province.other_commune.pk
    response = login(district_user).post(URL, data)
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not Facility.objects.exists()


def test_a_likely_duplicate_is_flagged_then_saved_on_confirmation(
    login, district_user, data, province
):
    f.FacilityFactory(name="HTX chè Shan tuyết", unit=province.commune, tax_code="5100123456")
    client = login(district_user)
    response = client.post(URL, data)
    page = response.content.decode()
    assert "Có thể cơ sở này đã được nhập" in page and "HTX chè Shan tuyết" in page
    assert Facility.objects.count() == 1
    client.post(URL, {**data, "confirm_duplicate": "on"})
    assert Facility.objects.count() == 2


def test_the_same_name_in_the_same_commune_is_a_likely_duplicate(
    login, district_user, data, province
):
    f.FacilityFactory(name="HỢP TÁC XÃ CHÈ SHAN TUYẾT  TÂN QUANG", unit=province.commune)
    response = login(district_user).post(URL, {**data, "tax_code": "5100999999"})
    assert "Có thể cơ sở này đã được nhập" in response.content.decode()


def test_a_double_submitted_form_does_not_create_two_facilities(login, district_user, data):
    client = login(district_user)
    client.post(URL, data)
    second = client.post(URL, data)
    assert second.status_code == 200 and Facility.objects.count() == 1


def test_an_edit_over_a_colleagues_change_is_refused_and_nothing_is_lost(
    login, district_user, colleague, province, client
):
    facility = f.FacilityFactory(unit=province.commune, phone="0912345678")
    url = reverse("beneficiaries:facility_edit", args=[facility.pk])
    form = login(district_user).get(url).context["form"]
    mine = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    mine.update(version=form["version"].value(), phone="0988000111")
    # The colleague saves first.
    client.force_login(colleague)
    theirs = {**mine, "phone": "0977000222"}
    assert client.post(url, theirs).status_code == 302
    client.force_login(district_user)
    response = client.post(url, mine)
    assert "vừa được sửa" in response.content.decode()
    facility.refresh_from_db()
    assert facility.phone == "0977000222"


def test_the_detail_page_shows_who_changed_what(login, district_user, province, data):
    client = login(district_user)
    client.post(URL, data)
    facility = Facility.objects.get()
    edit = reverse("beneficiaries:facility_edit", args=[facility.pk])
    form = client.get(edit).context["form"]
    values = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    client.post(edit, {**values, "workers": "20"})
    page = client.get(reverse("beneficiaries:facility_detail", args=[facility.pk])).content.decode()
    assert "Số lao động: 12 → 20" in page
    assert str(district_user) in page


def test_managers_read_but_do_not_enter_facilities(login, manager, data):
    assert login(manager).post(URL, data).status_code == 403
    assert not Facility.objects.exists()
