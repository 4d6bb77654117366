"""`python manage.py import_facilities FILE [--dry-run] [--user NAME]`: the web import of
facilities from .xlsx, from the command line — all rows or none."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from beneficiaries.imports import ImportRefused, run_import
from khuyencong.spreadsheets import read_sheet

from ._acting_user import acting_user, add_user_argument


class Command(BaseCommand):
    help = "Nhập cơ sở CNNT từ tệp Excel (.xlsx) theo mẫu; có lỗi thì không ghi dòng nào."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        add_user_argument(parser)

    def handle(self, *args, file, dry_run, user, **options):
        user = acting_user(user)
        if not file.is_file():
            raise CommandError(f"Không có tệp {file}.")
        try:
            with file.open("rb") as handle:
                dataset = read_sheet(File(handle, name=file.name))
            outcome = run_import("facilities", dataset, user=user, dry_run=dry_run)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except ImportRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        for line, column, message in outcome.errors:
            where = f"Dòng {line}" if line else "Tệp"
            self.stderr.write(f"{where}{f', cột “{column}”' if column else ''}: {message}")
        if outcome.errors:
            raise CommandError(f"{len(outcome.errors)} lỗi; không dòng nào được ghi.")
        verb = "Sẽ thêm" if dry_run else "Đã thêm"
        self.stdout.write(
            f"{verb} {outcome.created}, sửa {outcome.updated} cơ sở"
            f"{' (chạy thử, chưa ghi gì)' if dry_run else ''}; {outcome.unchanged} dòng không đổi."
        )
