"""A support request's printable sheet (phiếu đăng ký hỗ trợ khuyến công): the facility, what it
asks for and its money, in the official layout, for whoever may open the request."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_request(province):
    facility = f.FacilityFactory(
        unit=province.commune, name="HTX chè Shan tuyết Tân Quang", owner_name="Lý Văn Sơn"
    )
    return f.SupportRequestFactory(
        facility=facility,
        year=2023,
        content="Mua máy vò chè công suất 500 kg/mẻ",
        local_strength=True,
        dossier=False,
        status="submitted",
        submitted_at=timezone.make_aware(datetime.datetime(2022, 5, 12, 9, 30)),
    )


def _sheet(client, support_request):
    return client.get(reverse("beneficiaries:request_sheet_pdf", args=[support_request.pk]))


@pytest.mark.parametrize("who", ["district_user", "officer", "manager"])
def test_the_sheet_names_the_facility_its_request_and_money(request, login, who, support_request):
    response = _sheet(login(request.getfixturevalue(who)), support_request)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "phieu-dang-ky-2023-htx-che-shan-tuyet-tan-quang.pdf" in response["Content-Disposition"]
    text = pdf_text(io.BytesIO(response.content))
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "HTX CHÈ SHAN TUYẾT TÂN QUANG",
        "Tân Quang, ngày 12 tháng 05 năm 2022",
        "PHIẾU ĐĂNG KÝ HỖ TRỢ KHUYẾN CÔNG NĂM 2023",
        "Kính gửi: Sở Công Thương Tỉnh Hà Giang",
        "Lý Văn Sơn",
        "Mua máy vò chè công suất 500 kg/mẻ",
        "300.000.000",
        "150.000.000",
        "Sản phẩm thế mạnh địa phương",
        "XÁC NHẬN CỦA UBND XÃ TÂN QUANG",
    ):
        assert words in text, words


def test_a_draft_sheet_leaves_its_date_to_write(login, district_user, support_request):
    support_request.status, support_request.submitted_at = "draft", None
    support_request.save()
    text = pdf_text(io.BytesIO(_sheet(login(district_user), support_request).content))
    assert "Tân Quang, ngày …… tháng …… năm 2022" in text


def test_another_districts_sheet_is_not_found(login, other_district_user, support_request):
    assert _sheet(login(other_district_user), support_request).status_code == 404


def test_the_sheet_reads_a_fixed_number_of_queries(login, district_user, support_request):
    client = login(district_user)
    with CaptureQueriesContext(connection) as queries:
        assert _sheet(client, support_request).status_code == 200
    assert len(queries) <= 8


def test_the_request_page_links_its_sheet(login, district_user, support_request):
    url = reverse("beneficiaries:request_detail", args=[support_request.pk])
    page = login(district_user).get(url).content.decode()
    assert "In phiếu đăng ký (PDF)" in page
    assert reverse("beneficiaries:request_sheet_pdf", args=[support_request.pk]) in page
