"""`quarterly_report` writes the same PDF as the background task, for the province or a unit."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import pdf_text

pytestmark = [pytest.mark.slow, pytest.mark.django_db]  # the demo province: seconds


def test_it_writes_the_province_report(demo_module, tmp_path):
    output = tmp_path / "q4.pdf"
    call_command("quarterly_report", year=2022, quarter=4, output=output, stdout=io.StringIO())
    text = pdf_text(output)
    assert "1.200.000.000" in text and "Tỉnh Hà Giang" in text


def test_a_districts_report_holds_its_schemes_only(demo_module, tmp_path):
    output = tmp_path / "bq.pdf"
    call_command(
        "quarterly_report", year=2022, quarter=4, unit="034", output=output, stdout=io.StringIO()
    )
    text = pdf_text(output)
    assert "Huyện Bắc Quang" in text
    assert "2.830.000.000" not in text  # the province's total is not a district's


def test_an_unknown_unit_is_refused_in_vietnamese(demo_module, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị"):
        call_command(
            "quarterly_report", year=2022, quarter=4, unit="999", output=tmp_path / "x.pdf"
        )
