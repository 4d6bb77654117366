"""The portal's own Vietnamese pages for the errors Django answers in English by default: a bad
request (400), a form sent without a valid CSRF token (403) and a method not allowed (405)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_debug(settings):
    settings.DEBUG = False


def test_a_bad_host_header_gets_the_vietnamese_400_page(client):
    response = client.get(reverse("login"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Yêu cầu không hợp lệ" in text and "Bad Request" not in text


def test_a_form_with_too_many_fields_gets_the_vietnamese_400_page(client, settings):
    fields = {f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("login"), fields)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_the_vietnamese_expired_page():
    response = Client(enforce_csrf_checks=True).post(
        reverse("login"), {"username": "bacquang", "password": "x"}
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert "Trang đã hết hạn" in text and "CSRF verification failed" not in text


def test_a_get_on_a_post_only_url_gets_the_vietnamese_405_page(login, district_user):
    response = login(district_user).get(reverse("duties:notification_read_all"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Không hỗ trợ cách gửi này" in response.content.decode()


def test_sign_out_by_get_gets_the_vietnamese_405_page(login, district_user):
    response = login(district_user).get(reverse("logout"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "Không hỗ trợ cách gửi này" in response.content.decode()
