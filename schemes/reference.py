"""The national programme's caps of Thông tư liên tịch 26/2014/TTLT-BTC-BCT, as data: a later
circular adds rows with their own dates, it does not edit these. Seeded by a migration and by
seed_demo (a flushed test database loses what migrations wrote)."""

import datetime

from django.apps import apps as django_apps

LEGAL_TEXT = "Thông tư liên tịch 26/2014/TTLT-BTC-BCT"
IN_FORCE = datetime.date(2014, 4, 4)

# (activity code, per, percent of cost, cap in đồng, note)
NATIONAL_CAPS = [
    ("03.3", "facility", 50, 200_000_000, "Ứng dụng máy móc thiết bị tiên tiến."),
    ("03.1", "model", 30, 500_000_000, "Mô hình trình diễn kỹ thuật xây dựng mới."),
    ("03.1", "showcase", 30, 100_000_000, "Mô hình trình diễn tại cơ sở đang sản xuất."),
    ("04.3", "brand", 50, 35_000_000, "Xây dựng, đăng ký thương hiệu."),
    ("05.1", "facility", 50, 35_000_000, "Tư vấn lập dự án, quản lý sản xuất, tài chính…"),
    ("05.2", "facility", 50, 35_000_000, "Tư vấn thiết kế mẫu mã, bao bì."),
    ("07.2", "cluster", 50, 150_000_000, "Hình thành cụm liên kết doanh nghiệp."),
]


def ensure_support_rules(apps=django_apps):
    """Create the national caps where missing; never touches a rule someone has changed."""
    ActivityType = apps.get_model("khuyencong", "ActivityType")
    FundingSource = apps.get_model("khuyencong", "FundingSource")
    SupportRule = apps.get_model("schemes", "SupportRule")
    national = FundingSource.objects.filter(code="KCQG").first()
    activities = {a.code: a for a in ActivityType.objects.all()}
    if national is None:
        return
    for code, per, percent, cap, note in NATIONAL_CAPS:
        if code not in activities:
            continue
        SupportRule.objects.get_or_create(
            activity_type=activities[code],
            funding_source=national,
            per=per,
            valid_from=IN_FORCE,
            defaults={
                "percent": percent,
                "cap_amount": cap,
                "legal_text": LEGAL_TEXT,
                "note": note,
            },
        )
