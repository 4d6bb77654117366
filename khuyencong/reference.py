"""The programme's reference lists: funding sources and the khuyến công activities of
Nghị định 45/2012/NĐ-CP, Điều 4 (nine groups, and the activities schemes fund under them)."""

from django.apps import apps as django_apps

FUNDING_SOURCES = [
    ("KCQG", "KCQG", "Khuyến công quốc gia", 1),
    ("KCDP", "KCĐP", "Khuyến công địa phương", 2),
]

ACTIVITY_GROUPS = [
    (
        "01",
        "Đào tạo nghề, truyền nghề và phát triển nghề",
        [
            ("01.1", "Đào tạo nghề, truyền nghề"),
        ],
    ),
    (
        "02",
        "Nâng cao năng lực quản lý cho cơ sở công nghiệp nông thôn",
        [
            ("02.1", "Tư vấn, tập huấn, đào tạo nâng cao năng lực quản lý"),
            ("02.2", "Hội thảo, diễn đàn"),
            ("02.3", "Tham quan khảo sát, học tập kinh nghiệm"),
            ("02.4", "Áp dụng sản xuất sạch hơn"),
        ],
    ),
    (
        "03",
        "Mô hình trình diễn kỹ thuật, chuyển giao công nghệ, ứng dụng máy móc thiết bị",
        [
            ("03.1", "Xây dựng mô hình trình diễn kỹ thuật"),
            ("03.2", "Chuyển giao công nghệ"),
            ("03.3", "Ứng dụng máy móc thiết bị tiên tiến vào sản xuất"),
        ],
    ),
    (
        "04",
        "Phát triển sản phẩm công nghiệp nông thôn",
        [
            ("04.1", "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu"),
            ("04.2", "Tham gia hội chợ, triển lãm"),
            ("04.3", "Xây dựng thương hiệu"),
            ("04.4", "Phòng trưng bày, giới thiệu sản phẩm"),
            ("04.5", "Thương mại điện tử"),
        ],
    ),
    (
        "05",
        "Tư vấn, trợ giúp cơ sở công nghiệp nông thôn",
        [
            ("05.1", "Tư vấn lập dự án, quản lý sản xuất, tài chính, marketing"),
            ("05.2", "Tư vấn thiết kế mẫu mã, bao bì sản phẩm"),
        ],
    ),
    (
        "06",
        "Thông tin, tuyên truyền",
        [
            ("06.1", "Thông tin, tuyên truyền về khuyến công"),
        ],
    ),
    (
        "07",
        "Liên doanh, liên kết, cụm liên kết doanh nghiệp, hạ tầng cụm công nghiệp",
        [
            ("07.1", "Liên doanh, liên kết, hợp tác kinh tế"),
            ("07.2", "Phát triển cụm liên kết doanh nghiệp công nghiệp"),
            ("07.3", "Hạ tầng cụm công nghiệp"),
        ],
    ),
    (
        "08",
        "Hợp tác quốc tế về khuyến công",
        [
            ("08.1", "Hợp tác quốc tế về khuyến công"),
        ],
    ),
    (
        "09",
        "Nâng cao năng lực quản lý và tổ chức thực hiện khuyến công",
        [
            ("09.1", "Đào tạo, tập huấn cán bộ làm công tác khuyến công"),
            ("09.2", "Kiểm tra, giám sát, quản lý đề án khuyến công"),
        ],
    ),
]


# Activities the programme runs itself (publicity, international cooperation, training its own
# staff, managing schemes): a facility does not request them.
PROGRAMME_ACTIVITIES = ("06.1", "08.1", "09.1", "09.2")


def mark_programme_activities(apps=django_apps):
    ActivityType = apps.get_model("khuyencong", "ActivityType")
    ActivityType.objects.filter(code__in=PROGRAMME_ACTIVITIES).update(for_facilities=False)


def ensure_reference_lists(apps=django_apps):
    """Create or update the lists; safe to run at any time (migrations, seed_demo)."""
    FundingSource = apps.get_model("khuyencong", "FundingSource")
    ActivityType = apps.get_model("khuyencong", "ActivityType")
    for code, short, name, order in FUNDING_SOURCES:
        FundingSource.objects.update_or_create(
            code=code, defaults={"short_name": short, "name": name, "order": order}
        )
    for order, (code, name, children) in enumerate(ACTIVITY_GROUPS, start=1):
        group, _ = ActivityType.objects.update_or_create(
            code=code, defaults={"name": name, "order": order * 10, "parent": None}
        )
        for child_order, (child_code, child_name) in enumerate(children, start=1):
            ActivityType.objects.update_or_create(
                code=child_code,
                defaults={"name": child_name, "order": order * 10 + child_order, "parent": group},
            )
    if hasattr(ActivityType, "for_facilities"):  # not before migration 0008 adds it
        mark_programme_activities(apps)
