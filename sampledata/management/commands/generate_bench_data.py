"""`python manage.py generate_bench_data --scale N [--seed S]`: N× a realistic province for
benchmarks (sampledata/bench.py), replacing the bench data of any earlier run."""

import time

from django.core.management.base import BaseCommand, CommandError

from khuyencong.money import format_vnd
from sampledata.bench import BenchRefused, generate_bench_data


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu thử tải: N lần một tỉnh (đơn vị hành chính hai thời kỳ, cơ sở, đăng ký, "
        "kế hoạch 2021–2026, đề án và hồ sơ thực hiện); xóa dữ liệu thử tải cũ trước."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, required=True, help="Số lần một tỉnh (có thể lẻ, như 0.05)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Cùng seed, cùng dữ liệu.")

    def handle(self, *args, scale, seed, **options):
        started = time.monotonic()
        try:
            province, counts = generate_bench_data(scale=scale, seed=seed)
        except BenchRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        rows = "; ".join(
            f"{format_vnd(n, unit=False)} {model._meta.verbose_name}" for model, n in counts.items()
        )
        factor = f"{scale:g}".replace(".", ",")
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo dữ liệu thử tải {province.name} (mã {province.code}, hệ số {factor}, "
                f"seed {seed}): {rows} trong {seconds} giây."
            )
        )
