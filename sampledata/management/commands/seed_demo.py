"""`python manage.py seed_demo`: the demo province and its logins (only with DEBUG on)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sampledata.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu tỉnh Hà Giang năm 2022 và các tài khoản dùng thử (chạy lại an toàn)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Từ chối tạo tài khoản dùng thử khi DEBUG tắt: dữ liệu mẫu chỉ dành cho máy thử."
            )
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu tỉnh Hà Giang năm 2022."))
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, role, unit in logins:
            self.stdout.write(f"  {username:<12} {role:<28} {unit}")
