"""The sectors (ngành nghề) of rural-industry facilities, a reference list."""

from django.apps import apps as django_apps

SECTORS = [
    ("CBNLS", "Chế biến nông, lâm sản, thực phẩm"),
    ("VLXD", "Sản xuất vật liệu xây dựng"),
    ("CK", "Cơ khí, gia công kim loại"),
    ("TCMN", "Thủ công mỹ nghệ"),
    ("DMT", "Dệt, may, thêu"),
    ("HC", "Hóa chất, phân bón, chế phẩm sinh học"),
    ("DG", "Đồ gỗ, mây tre đan"),
    ("KHAC", "Ngành nghề khác"),
]


def ensure_sectors(apps=django_apps):
    """Create or update the sectors; safe to run at any time (migrations, seed_demo)."""
    Sector = apps.get_model("beneficiaries", "Sector")
    for order, (code, name) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(code=code, defaults={"name": name, "order": order})


# code, name, hint, required for every request, activity codes (a group code covers its children)
DOCUMENT_KINDS = [
    ("PDK", "Phiếu đăng ký nhu cầu hỗ trợ", "Có chữ ký của chủ cơ sở.", True, ()),
    (
        "DKKD",
        "Giấy chứng nhận đăng ký kinh doanh (hoặc đăng ký hợp tác xã)",
        "Bản sao; hộ kinh doanh chưa đăng ký nộp xác nhận của UBND xã.",
        True,
        (),
    ),
    ("TMDA", "Thuyết minh đề án", "Mục tiêu, nội dung, tiến độ, hiệu quả dự kiến.", True, ()),
    ("DT", "Dự toán kinh phí chi tiết", "Nêu rõ phần đề nghị hỗ trợ và phần đối ứng.", True, ()),
    (
        "BG",
        "Báo giá máy móc, thiết bị",
        "Ít nhất 3 báo giá của các nhà cung cấp khác nhau.",
        False,
        ("03",),
    ),
    (
        "DU",
        "Cam kết bố trí vốn đối ứng",
        "Văn bản của cơ sở cam kết phần kinh phí đối ứng.",
        False,
        ("03", "07"),
    ),
    (
        "SP",
        "Hồ sơ sản phẩm",
        "Ảnh, mô tả, giấy chứng nhận chất lượng hoặc an toàn thực phẩm.",
        False,
        ("04.1", "04.2", "04.4", "04.5"),
    ),
    ("NH", "Mẫu nhãn hiệu, logo dự kiến", "", False, ("04.3", "05.2")),
]


def ensure_document_kinds(apps=django_apps):
    """Create or update the dossier's document kinds and what requires them."""
    DocumentKind = apps.get_model("beneficiaries", "DocumentKind")
    ActivityType = apps.get_model("khuyencong", "ActivityType")
    for order, (code, name, hint, every, activities) in enumerate(DOCUMENT_KINDS, start=1):
        kind, _ = DocumentKind.objects.update_or_create(
            code=code,
            defaults={"name": name, "hint": hint, "for_every_request": every, "order": order},
        )
        kind.activity_types.set(ActivityType.objects.filter(code__in=activities))
