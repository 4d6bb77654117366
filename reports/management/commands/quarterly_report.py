"""`python manage.py quarterly_report --year Y --quarter Q [--unit CODE] --output FILE.pdf`:
the quarterly report to a file, by the same code path as the background task."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khuyencong.models import AdministrativeUnit
from reports.services import build_report_pdf


class Command(BaseCommand):
    help = "Xuất báo cáo tiến độ quý ra tệp PDF."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--unit", help="Mã đơn vị hành chính (mặc định: tỉnh)")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, year, quarter, unit, output, **options):
        units = AdministrativeUnit.objects
        found = units.latest_with_code(unit) if unit else units.portal_province()
        if found is None:
            raise CommandError(f"Không tìm thấy đơn vị hành chính mã {unit or '(tỉnh)'}.")
        pdf, figures = build_report_pdf(year=year, quarter=quarter, unit=found)
        output.write_bytes(pdf)
        self.stdout.write(
            f"Đã ghi {output} ({len(pdf):,} byte), {figures.scheme_count} đề án, "
            f"mã băm số liệu {figures.digest()[:12]}."
        )
