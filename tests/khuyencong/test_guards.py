"""The guards of every page: the portal's own 403/404 for a signed-in user whatever DEBUG is; a
refused form ends on a page whose reload sends nothing (post/redirect/get of the kept page); a
final or destructive form asks its question first (data-confirm)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from beneficiaries.models import Facility, SupportRequest
from khuyencong.workflow import step_question
from schemes.models import Plan, Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- 403 and 404 ------------------------------------------------------------------------------


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_with_debug_a_record_outside_his_scope_gets_the_vietnamese_404(
    debug, login, other_district_user, province
):
    facility = f.FacilityFactory(unit=province.commune)
    response = login(other_district_user).get(
        reverse("beneficiaries:facility_detail", args=[facility.pk])
    )
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang hoặc hồ sơ" in page
    assert "Page not found" not in page and "URLconf" not in page


def test_with_debug_an_address_that_names_no_page_gets_the_vietnamese_404(
    debug, login, district_user
):
    response = login(district_user).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang hoặc hồ sơ" in response.content.decode()
    # An address missing its slash is still sent on to the page.
    response = login(district_user).get(reverse("beneficiaries:facility_list").rstrip("/"))
    assert response.status_code == 301


def test_with_debug_another_roles_page_gets_the_vietnamese_403(debug, login, district_user):
    response = login(district_user).get(reverse("schemes:rule_create"))
    assert response.status_code == 403
    assert "Bạn không có quyền xem trang này" in response.content.decode()


def test_without_debug_the_same_pages_are_used(login, other_district_user, province, settings):
    settings.DEBUG = False
    facility = f.FacilityFactory(unit=province.commune)
    client = login(other_district_user)
    response = client.get(reverse("beneficiaries:facility_detail", args=[facility.pk]))
    assert response.status_code == 404
    assert "Không tìm thấy trang hoặc hồ sơ" in response.content.decode()


# --- a refused form: post, redirect, get ------------------------------------------------------


@pytest.fixture
def data(province):
    return {
        "name": "Hợp tác xã chè Shan tuyết Tân Quang",
        "kind": "cooperative",
        "sector": f.SectorFactory().pk,
        "unit": province.commune.pk,
        "address": "Thôn Tân Thành",
        "owner_name": "Hoàng Thị Mai",
        "tax_code": "12345",  # refused: ten digits
        "phone": "0912345678",
        "workers": "12",
        "products": "Chè xanh",
    }


URL = reverse("beneficiaries:facility_create")
REFUSED = "Mã số thuế gồm 10 chữ số"


@pytest.mark.kept_pages
def test_a_refused_form_ends_on_a_page_whose_reload_sends_nothing(login, district_user, data):
    client = login(district_user)
    response = client.post(f"{URL}?facility=7", data)
    assert response.status_code == 303
    assert re.fullmatch(rf"{URL}\?facility=7&_r=[\w-]+", response["Location"])
    shown = client.get(response["Location"])
    page = shown.content.decode()
    assert shown.status_code == 200  # the status the POST had
    assert REFUSED in page and "Hợp tác xã chè Shan tuyết Tân Quang" in page
    assert "no-store" in shown["Cache-Control"]
    # A reload is a GET of the same page: shown again, nothing sent, nothing saved.
    again = client.get(response["Location"])
    assert again.content.decode() == page
    assert not Facility.objects.exists()


@pytest.mark.kept_pages
def test_the_kept_page_is_the_users_own(login, district_user, colleague, data):
    location = login(district_user).post(URL, data)["Location"]
    other = Client()
    other.force_login(colleague)
    page = other.get(location).content.decode()
    assert REFUSED not in page and "Shan tuyết" not in page  # a fresh, empty form


@pytest.mark.kept_pages
def test_the_kept_form_sent_again_works_as_before(district_user, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(district_user)
    client.get(URL)  # the form, and its CSRF cookie
    token = client.cookies["csrftoken"].value
    location = client.post(URL, {**data, "csrfmiddlewaretoken": token})["Location"]
    page = client.get(location).content.decode()
    shown_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    # The kept form posts to its own address (the token's), corrected, once.
    fixed = {**data, "tax_code": "5100123456", "csrfmiddlewaretoken": shown_token}
    response = client.post(location, fixed)
    facility = Facility.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("beneficiaries:facility_detail", args=[facility.pk])
    assert client.get(location).status_code == 200  # the old page, until it expires


@pytest.mark.kept_pages
def test_a_valid_form_saves_once_and_redirects_as_it_did(login, district_user, data):
    response = login(district_user).post(URL, {**data, "tax_code": "5100123456"})
    assert response.status_code == 302 and "_r=" not in response["Location"]
    assert Facility.objects.count() == 1


@pytest.mark.kept_pages
def test_an_expired_kept_page_is_rendered_afresh(login, district_user, data, settings):
    from django.core.cache import cache

    client = login(district_user)
    location = client.post(URL, data)["Location"]
    cache.clear()
    page = client.get(location)
    assert page.status_code == 200 and REFUSED not in page.content.decode()


@pytest.mark.kept_pages
def test_htmx_and_signed_out_posts_are_answered_as_they_were(login, district_user, data):
    response = login(district_user).post(URL, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and REFUSED in response.content.decode()
    # The sign-in page (axes counts its failures) is not kept.
    response = Client().post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 200


# --- questions before final or destructive forms ----------------------------------------------


def test_each_step_asks_its_own_question(province):
    scheme = f.SchemeFactory(code="ĐP-2027-01", title="Máy sao chè")
    plan = scheme.plan
    req = f.SupportRequestFactory()
    assert step_question(scheme, "approve") == "Phê duyệt đề án «ĐP-2027-01 – Máy sao chè»?"
    assert step_question(scheme, "cancel") == "Hủy đề án «ĐP-2027-01 – Máy sao chè»?"
    assert step_question(plan, "approve") == f"Phê duyệt kế hoạch «{plan.title}»?"
    assert step_question(req, "submit") == f"Gửi lên tỉnh đăng ký nhu cầu hỗ trợ «{req}»?"
    assert step_question(req, "withdraw") == f"Rút đăng ký «{req}»?"


def _confirms(page):
    return re.findall(r'<form[^>]*data-confirm="([^"]+)"', page)


def test_the_scheme_page_asks_before_each_step_and_each_deletion(login, officer, manager, province):
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province, status=Plan.Status.APPROVED),
        status=Scheme.Status.PROPOSED,
        code="ĐP-2027-02",
    )
    f.SchemeItemFactory(scheme=scheme, description="Máy sấy chè")
    f.SchemeBeneficiaryFactory(scheme=scheme, facility=f.FacilityFactory(name="HTX Tân Quang"))
    page = login(officer).get(reverse("schemes:scheme_detail", args=[scheme.pk]))
    questions = _confirms(page.content.decode())
    assert "Xóa hạng mục «Máy sấy chè» của đề án ĐP-2027-02?" in questions
    assert "Bỏ cơ sở «HTX Tân Quang» khỏi đề án ĐP-2027-02?" in questions
    page = login(manager).get(reverse("schemes:scheme_detail", args=[scheme.pk]))
    questions = _confirms(page.content.decode())
    assert any(q.startswith("Hủy đề án «ĐP-2027-02") for q in questions), questions


def test_the_request_page_asks_before_sending_to_the_province(login, district_user, province):
    req = f.SupportRequestFactory(
        facility=f.FacilityFactory(unit=province.commune), status=SupportRequest.Status.DRAFT
    )
    page = login(district_user).get(reverse("beneficiaries:request_detail", args=[req.pk]))
    questions = _confirms(page.content.decode())
    assert f"Gửi lên tỉnh đăng ký nhu cầu hỗ trợ «{req}»?" in [
        q.replace("&amp;", "&") for q in questions
    ]
    assert any(q.startswith("Rút đăng ký") for q in questions)


@pytest.mark.kept_pages
def test_a_refused_entry_of_a_form_only_address_goes_back_to_its_page_once_expired(
    login, officer, province
):
    from django.core.cache import cache

    scheme = f.SchemeFactory(plan=f.PlanFactory(unit=province.province), status="proposed")
    page = reverse("schemes:scheme_detail", args=[scheme.pk])
    client = login(officer)
    response = client.post(reverse("schemes:item_add", args=[scheme.pk]), {"description": ""})
    location = response["Location"]
    assert response.status_code == 303 and location.startswith(
        reverse("schemes:item_add", args=[scheme.pk])
    )
    shown = client.get(location, HTTP_REFERER=f"http://testserver{page}")
    assert shown.status_code == 422 and 'details class="entry" open' in shown.content.decode()
    cache.clear()
    again = client.get(location, HTTP_REFERER=f"http://testserver{page}")
    assert again.status_code == 303 and again["Location"] == f"http://testserver{page}"
    assert client.get(location).status_code == 405  # nowhere to go back to: said so
