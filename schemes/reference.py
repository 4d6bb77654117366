"""The support caps as data: the national programme's of Thông tư liên tịch 26/2014/TTLT-BTC-BCT
(seeded by a migration and by seed_demo, since a flushed test database loses what migrations
wrote) and, for the demo only, the province's own caps of the local fund. A later text adds rows
with their own dates, it does not edit these."""

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


# The local fund's caps are set by each province's People's Council (HĐND tỉnh) for its local
# khuyến công. The real resolutions are not at hand: these figures only illustrate, and say so in
# their legal text. Hà Giang's end with the province on 30/06/2025; the merged Tuyên Quang's
# follow. A province sets them for its own territory, mostly highland and border communes, so
# they carry no priority-area multiplier (1): the national fund's 1,5 is the Ministry's rule.
DEMO_LABEL = "(số liệu minh họa)"
LOCAL_TEXTS = {
    "HG": (
        f"Nghị quyết của HĐND tỉnh Hà Giang về định mức khuyến công địa phương {DEMO_LABEL}",
        datetime.date(2022, 1, 1),
        datetime.date(2025, 6, 30),
    ),
    "TQ": (
        f"Nghị quyết của HĐND tỉnh Tuyên Quang về định mức khuyến công địa phương {DEMO_LABEL}",
        datetime.date(2025, 7, 1),
        None,
    ),
}
TR = 1_000_000
# (text, activity code, per, percent of cost, cap in đồng, note)
LOCAL_CAPS = [
    ("HG", "03.3", "facility", 50, 150 * TR, "Ứng dụng máy móc thiết bị tiên tiến."),
    ("HG", "04.1", "round", None, 200 * TR, "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh."),
    # 35 tr, not less: the article's own 2022 local scheme (ĐP-2022-09) paid 35 tr for it.
    ("HG", "05.2", "facility", None, 35 * TR, "Tư vấn thiết kế mẫu mã, bao bì."),
    ("HG", "09.2", "scheme", None, 100 * TR, "Kiểm tra, giám sát, quản lý đề án (mỗi năm)."),
    ("TQ", "03.3", "facility", 50, 250 * TR, "Ứng dụng máy móc thiết bị tiên tiến."),
    ("TQ", "04.1", "round", None, 300 * TR, "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh."),
    ("TQ", "05.2", "facility", None, 40 * TR, "Tư vấn thiết kế mẫu mã, bao bì."),
    ("TQ", "09.2", "scheme", None, 120 * TR, "Kiểm tra, giám sát, quản lý đề án (mỗi năm)."),
]


def _national_rows():
    for code, per, percent, cap, note in NATIONAL_CAPS:
        yield "KCQG", code, per, percent, cap, note, LEGAL_TEXT, IN_FORCE, None, None


def _local_rows():
    for text, code, per, percent, cap, note in LOCAL_CAPS:
        legal_text, valid_from, valid_to = LOCAL_TEXTS[text]
        yield "KCDP", code, per, percent, cap, note, legal_text, valid_from, valid_to, 1


def ensure_support_rules(apps=django_apps, *, local=False):
    """Create the national caps where missing and, with `local`, the demo's local-fund caps
    (seed_demo's; the migration seeds the national ones only). Never touches a rule someone has
    changed."""
    ActivityType = apps.get_model("khuyencong", "ActivityType")
    FundingSource = apps.get_model("khuyencong", "FundingSource")
    SupportRule = apps.get_model("schemes", "SupportRule")
    sources = {s.code: s for s in FundingSource.objects.filter(code__in=["KCQG", "KCDP"])}
    activities = {a.code: a for a in ActivityType.objects.all()}
    rows = [*_national_rows(), *(_local_rows() if local else [])]
    for source, code, per, percent, cap, note, legal_text, valid_from, valid_to, factor in rows:
        if source not in sources or code not in activities:
            continue
        extra = {} if factor is None else {"priority_multiplier": factor}
        SupportRule.objects.get_or_create(
            activity_type=activities[code],
            funding_source=sources[source],
            per=per,
            valid_from=valid_from,
            defaults={
                "percent": percent,
                "cap_amount": cap,
                "valid_to": valid_to,
                "legal_text": legal_text,
                "note": note,
                **extra,
            },
        )
