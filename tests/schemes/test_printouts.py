"""A scheme's printable PDFs: the summary and the acceptance minutes, with what is recorded (and
lines to fill where nothing is yet), for whoever may open the scheme (404 outside scope, the
minutes for the province's staff only), in a fixed number of queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.conftest import pdf_text

pytestmark = pytest.mark.django_db
TR = 1_000_000
PROBLEM = "Đường vào xã bị sạt lở"


@pytest.fixture
def scheme(province):
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province, title="Kế hoạch khuyến công địa phương 2022"),
        code="ĐP-2022-07",
        title="Hỗ trợ máy sấy chè Shan tuyết",
        unit=province.district,
        status="in_progress",
        approval_number="12/QĐ-SCT",
        approval_date=datetime.date(2022, 3, 1),
        budget=300 * TR,
        counterpart_budget=120 * TR,
    )
    facility = f.FacilityFactory(unit=province.commune, name="HTX chè Tân Quang")
    beneficiary = f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=facility, support_amount=250 * TR, counterpart_amount=100 * TR
    )
    f.SchemeItemFactory(scheme=scheme, description="Máy sấy chè", support_amount=250 * TR)
    contract = f.ContractFactory(
        scheme=scheme, beneficiary=beneficiary, number="07/2022/HĐ-KC", value=250 * TR
    )
    f.DisbursementFactory(contract=contract, amount=125 * TR, document_number="UNC-12")
    f.InspectionFactory(scheme=scheme, progress_percent=60, findings="Đã lắp máy", problems=PROBLEM)
    return scheme


def _get(client, name, scheme):
    return client.get(reverse(f"schemes:{name}", args=[scheme.pk]))


def _text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return pdf_text(io.BytesIO(response.content))


def test_the_summary_names_the_scheme_its_money_by_source_and_its_records(
    login, district_user, scheme
):
    response = _get(login(district_user), "scheme_summary_pdf", scheme)
    assert "tom-tat-dp-2022-07.pdf" in response["Content-Disposition"]
    text = _text(response)
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ CÔNG THƯƠNG TỈNH HÀ GIANG",
        "Hà Giang, ngày",
        "TÓM TẮT ĐỀ ÁN KHUYẾN CÔNG",
        "ĐP-2022-07 – Hỗ trợ máy sấy chè Shan tuyết",
        "Đang triển khai",
        "Số 12/QĐ-SCT ngày 01/03/2022",
        "300.000.000",  # the programme's money
        "120.000.000",  # the counterpart
        "420.000.000",  # both
        "Máy sấy chè",
        "HTX chè Tân Quang",
        "07/2022/HĐ-KC",
        "UNC-12",
        "125.000.000",
        PROBLEM,
        "Chưa nghiệm thu.",
    ):
        assert words in text, words


def test_a_partner_district_sees_only_its_own_beneficiaries_in_the_summary(
    login, province, district_user, other_district_user
):
    shared = f.SchemeFactory(plan=f.PlanFactory(unit=province.province), unit=province.province)
    areas = ((province.commune, "HTX Bắc Quang"), (province.other_commune, "HTX Lũng Cú"))
    for unit, name in areas:
        link = f.SchemeBeneficiaryFactory(
            scheme=shared, facility=f.FacilityFactory(unit=unit, name=name), support_amount=40 * TR
        )
        f.ContractFactory(scheme=shared, beneficiary=link, number=f"HĐ {name}")

    text = _text(_get(login(district_user), "scheme_summary_pdf", shared))
    assert "HTX Bắc Quang" in text and "HĐ HTX Bắc Quang" in text
    assert "Lũng Cú" not in text
    assert "1 cơ sở ở địa bàn khác 40.000.000" in text


def test_outside_the_users_scope_each_printout_is_not_found(
    login, other_district_user, officer, scheme
):
    client = login(other_district_user)
    assert _get(client, "scheme_summary_pdf", scheme).status_code == 404
    assert _get(client, "minutes_pdf", scheme).status_code == 404


def test_the_minutes_are_for_the_provinces_staff(login, district_user, manager, scheme):
    assert _get(login(district_user), "minutes_pdf", scheme).status_code == 403
    assert "BIÊN BẢN NGHIỆM THU" in _text(_get(login(manager), "minutes_pdf", scheme))


def test_minutes_before_the_review_leave_its_date_result_and_amount_to_fill(login, officer, scheme):
    text = _text(_get(login(officer), "minutes_pdf", scheme))
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BIÊN BẢN NGHIỆM THU",
        "Đề án ĐP-2022-07: Hỗ trợ máy sấy chè Shan tuyết",
        "Căn cứ Quyết định số 12/QĐ-SCT ngày 01/03/2022",
        "Hợp đồng số 07/2022/HĐ-KC ký ngày 01/05/2022",
        "250.000.000 đ",
        "HTX chè Tân Quang",
        "Hoàng Thị Mai",  # the facility's representative
        "Máy sấy chè",
        "tiến độ 60%",
        PROBLEM,
        "Hà Giang, ngày …… tháng …… năm 2022",
        "□ Đạt",
        "Kinh phí nghiệm thu: ……",
        "ĐẠI DIỆN TRUNG TÂM KHUYẾN CÔNG",
    ):
        assert words in text, words


def test_minutes_after_the_review_carry_its_date_committee_result_and_amount(
    login, officer, scheme
):
    f.AcceptanceFactory(
        scheme=scheme,
        held_on=datetime.date(2022, 11, 25),
        committee="Hội đồng nghiệm thu Sở Công Thương",
        accepted_amount=240 * TR,
        note="Cơ sở vận hành máy ổn định",
    )
    text = _text(_get(login(officer), "minutes_pdf", scheme))
    for words in (
        "Hà Giang, ngày 25 tháng 11 năm 2022",
        "Hội đồng nghiệm thu Sở Công Thương",
        "Kết quả nghiệm thu: Đạt",
        "Kinh phí nghiệm thu: 240.000.000 đ",
        "Cơ sở vận hành máy ổn định",
    ):
        assert words in text, words
    assert "□ Đạt" not in text


def _queries(client, name, scheme):
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, name, scheme).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["scheme_summary_pdf", "minutes_pdf"])
def test_a_printout_reads_as_many_queries_whatever_the_schemes_length(
    login, officer, province, scheme, name
):
    client = login(officer)
    before = _queries(client, name, scheme)
    for n in range(3):
        link = f.SchemeBeneficiaryFactory(scheme=scheme, support_amount=TR)
        f.SchemeItemFactory(scheme=scheme, description=f"Hạng mục {n}", support_amount=TR)
        contract = f.ContractFactory(scheme=scheme, beneficiary=link, value=TR)
        f.DisbursementFactory(contract=contract, amount=TR)
        f.InspectionFactory(scheme=scheme)
        f.AcceptanceFactory(scheme=scheme, accepted_amount=TR)
    assert _queries(client, name, scheme) == before
    assert before <= 15


def test_the_scheme_page_offers_the_printouts_each_role_may_open(
    login, district_user, officer, scheme
):
    page = _get(login(district_user), "scheme_detail", scheme).content.decode()
    assert reverse("schemes:scheme_summary_pdf", args=[scheme.pk]) in page
    assert "In tóm tắt (PDF)" in page
    assert "In biên bản nghiệm thu (PDF)" not in page
    page = _get(login(officer), "scheme_detail", scheme).content.decode()
    assert reverse("schemes:minutes_pdf", args=[scheme.pk]) in page
