"""`python manage.py quarterly_report --year Y --quarter Q [--unit CODE] --output FILE.pdf`:
the quarterly report to a file (and its .xlsx companion beside it), by the same code path as
the background task."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khuyencong.dates import (
    YEAR_OUT_OF_RANGE,
    Quarter,
    is_plausible_year,
    quarter_not_begun_message,
    today,
)
from khuyencong.models import AdministrativeUnit
from reports.services import build_report


class Command(BaseCommand):
    help = "Xuất báo cáo tiến độ quý ra tệp PDF (kèm tệp Excel cùng tên)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--unit", help="Mã đơn vị hành chính (mặc định: tỉnh)")
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument(
            "--xlsx", type=Path, help="Tệp Excel (mặc định: cùng tên với tệp PDF, đuôi .xlsx)"
        )

    def handle(self, *args, year, quarter, unit, output, xlsx, **options):
        if not is_plausible_year(year):
            raise CommandError(f"Năm {year} không hợp lệ. {YEAR_OUT_OF_RANGE}")
        if refused := quarter_not_begun_message(Quarter(year, quarter), today()):
            raise CommandError(refused)
        units = AdministrativeUnit.objects
        found = units.latest_with_code(unit) if unit else units.portal_province()
        if found is None:
            raise CommandError(f"Không tìm thấy đơn vị hành chính mã {unit or '(tỉnh)'}.")
        pdf, workbook, figures = build_report(year=year, quarter=quarter, unit=found)
        xlsx = xlsx or output.with_suffix(".xlsx")
        output.write_bytes(pdf)
        xlsx.write_bytes(workbook)
        self.stdout.write(
            f"Đã ghi {output} ({len(pdf):,} byte) và {xlsx}: {figures.scheme_count} đề án, "
            f"mã băm số liệu {figures.digest()[:12]}."
        )
