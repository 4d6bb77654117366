"""`python manage.py export_facilities FILE [--user NAME]`: the facilities the user sees, in
the import's own columns (the file imports back unchanged)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from beneficiaries.models import Facility
from beneficiaries.workbooks import facility_workbook

from ._acting_user import acting_user, add_user_argument


class Command(BaseCommand):
    help = "Xuất danh sách cơ sở CNNT ra tệp Excel (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        add_user_argument(parser)

    def handle(self, *args, file, user, **options):
        user = acting_user(user)
        facilities = Facility.objects.visible_to(user).order_by("name_key", "pk")
        content = facility_workbook(user, facilities)
        file.write_bytes(content)
        self.stdout.write(f"Đã ghi {facilities.count()} cơ sở vào {file}.")
