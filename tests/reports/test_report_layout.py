"""The quarterly PDF on paper: the demo's year on at most four pages, an empty period in one
sentence without charts of zeros, and the signer and recipients kept in the admin."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from khuyencong.models import AdministrativeUnit
from khuyencong.pdf import render_html
from reports.models import ReportSigner
from reports.services import REPORT_TEMPLATE, build_report, report_context
from tests import factories as f
from tests.conftest import pdf_text

D = datetime.date


def text_of(pdf):
    return " ".join(pdf_text(io.BytesIO(pdf)).split())


@pytest.fixture
def empty_province(province):
    """Hà Giang with a facility but no plan or scheme of 2025: nothing to report."""
    f.FacilityFactory(unit=province.commune)
    return province.province


def test_an_empty_period_is_one_sentence_without_charts(empty_province):
    context = report_context(year=2025, quarter=3, unit=empty_province, today=D(2025, 12, 1))
    html = render_html(REPORT_TEMPLATE, context)
    assert "<svg" not in html  # no chart of zeros
    pdf, _xlsx, figures = build_report(
        year=2025, quarter=3, unit=empty_province, today=D(2025, 12, 1)
    )
    assert figures.is_empty
    text = text_of(pdf)
    assert (
        "Kỳ báo cáo từ ngày 01/07/2025 đến hết ngày 30/09/2025: Tỉnh Hà Giang không có đề án "
        "nào thuộc kế hoạch khuyến công năm 2025, nên không có kinh phí phân bổ, ký hợp đồng, "
        "giải ngân hay nghiệm thu."
    ) in text
    for absent in ["0 đề án", "KINH PHÍ THEO NGUỒN", "chậm tiến độ", "Chưa có số liệu"]:
        assert absent not in text, absent
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_an_empty_year_tells_the_late_schemes_of_earlier_years(empty_province):
    plan = f.PlanFactory(unit=empty_province, year=2024, decision_date=D(2024, 1, 10))
    f.SchemeFactory(
        plan=plan,
        unit=empty_province,
        code="ĐP-2024-01",
        status="in_progress",
        approval_number="1/QĐ-SCT",
        approval_date=D(2024, 1, 20),
        start_date=D(2024, 2, 1),
        end_date=D(2024, 11, 30),
    )  # its end passed, not accepted: late
    pdf, _xlsx, figures = build_report(
        year=2025, quarter=3, unit=empty_province, today=D(2025, 12, 1)
    )
    assert figures.is_empty and len(figures.at_risk) == 1
    text = text_of(pdf)
    assert "Còn 1 đề án thuộc kế hoạch năm 2024 chậm tiến độ hoặc có rủi ro cần xử lý" in text
    assert "I. ĐỀ ÁN CHẬM TIẾN ĐỘ, CÓ RỦI RO" in text and "ĐP-2024-01" in text
    assert "0 đề án" not in text


def test_the_signer_kept_in_the_admin_signs_the_report(empty_province, login, admin_user):
    district = AdministrativeUnit.objects.get(code="034")
    response = login(admin_user).post(
        reverse("admin:reports_reportsigner_add"),
        {
            "unit": empty_province.pk,
            "authority": "KT. Giám đốc",
            "title": "Phó Giám đốc",
            "name": "Trần Thị Hoa",
            "recipients": "Sở Công Thương;\n- UBND tỉnh;\n\nLưu: VT, TTKC.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    signer = ReportSigner.objects.get()
    assert signer.recipient_lines() == ["Sở Công Thương;", "UBND tỉnh;", "Lưu: VT, TTKC."]
    # The province's signer signs its districts' reports too.
    for unit in (empty_province, district):
        pdf, _xlsx, _figures = build_report(year=2025, quarter=3, unit=unit, today=D(2025, 12, 1))
        text = text_of(pdf)
        assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in text
        assert text.index("PHÓ GIÁM ĐỐC") < text.index("Trần Thị Hoa")
        assert "Nơi nhận: - Sở Công Thương; - UBND tỉnh; - Lưu: VT, TTKC." in text


def test_without_a_signer_the_report_has_the_usual_block(empty_province):
    pdf, _xlsx, _figures = build_report(
        year=2025, quarter=3, unit=empty_province, today=D(2025, 12, 1)
    )
    text = text_of(pdf)
    assert "GIÁM ĐỐC" in text
    assert (
        "Nơi nhận: - Sở Công Thương; - Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công; "
        "- Lưu: VT, TTKC."
    ) in text


@pytest.mark.slow  # the demo province
def test_the_demo_year_2022_fits_on_four_pages(demo_module):
    province = AdministrativeUnit.objects.portal_province()
    pdf, _xlsx, figures = build_report(year=2022, quarter=4, unit=province)
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 4
    text = text_of(pdf)
    for words in [
        "VI. ĐỀ ÁN CHẬM TIẾN ĐỘ, CÓ RỦI RO",
        "VIII. KẾT QUẢ CÁC NĂM 2021–2022",
        "Phân bổ và giải ngân theo địa bàn (đồng)",
        "Số đề án theo trạng thái",
        "Nơi nhận:",
    ]:
        assert words in text, words
    assert f"{len(figures.at_risk)} đề án chậm tiến độ hoặc có rủi ro" in text


@pytest.mark.slow  # the demo province
def test_late_schemes_of_earlier_plans_are_told_apart(demo_module):
    """The 2026 report counts the 2022 schemes still late: its sentence says which are which."""
    province = AdministrativeUnit.objects.portal_province()
    context = report_context(year=2026, quarter=3, unit=province)
    figures = context["figures"]
    earlier = figures.at_risk_earlier
    assert earlier and len(earlier) < len(figures.at_risk)
    assert {line.plan_year for line in earlier} == {2022}
    text = " ".join(render_html(REPORT_TEMPLATE, context).split())
    assert (
        f"{len(figures.at_risk)} đề án chậm tiến độ hoặc có rủi ro cần xử lý (trong đó "
        f"{len(earlier)} đề án thuộc kế hoạch năm 2022)"
    ) in text
