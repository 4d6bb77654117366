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


# The dossier of a scheme, then of each beneficiary in it, from approval to settlement.
# code, name, hint, required for every such dossier, activity codes, which dossier
SCHEME_DOCUMENT_KINDS = [
    ("DA-QD", "Quyết định phê duyệt đề án", "Bản scan có chữ ký, đóng dấu.", True, (), "scheme"),
    (
        "DA-TM",
        "Thuyết minh đề án được duyệt",
        "Bản thuyết minh kèm dự toán đã được phê duyệt.",
        True,
        (),
        "scheme",
    ),
    (
        "DA-BC",
        "Báo cáo kết quả thực hiện đề án",
        "Đơn vị thực hiện lập, trước khi nghiệm thu.",
        True,
        (),
        "scheme",
    ),
    (
        "TH-HD",
        "Hợp đồng đã ký (bản scan)",
        "Hợp đồng với cơ sở thụ hưởng.",
        True,
        (),
        "beneficiary",
    ),
    (
        "TH-CK",
        "Cam kết đối ứng, không nhận hỗ trợ trùng",
        "Cơ sở cam kết bố trí vốn đối ứng và không nhận hỗ trợ từ nguồn ngân sách khác "
        "cho cùng nội dung.",
        True,
        (),
        "beneficiary",
    ),
    (
        "TH-HDON",
        "Hóa đơn, chứng từ mua máy móc thiết bị",
        "Hóa đơn giá trị gia tăng, biên bản bàn giao máy.",
        False,
        ("03",),
        "beneficiary",
    ),
]


def ensure_document_kinds(apps=django_apps, kinds=None):
    """Create or update the dossiers' document kinds and what requires them."""
    DocumentKind = apps.get_model("beneficiaries", "DocumentKind")
    ActivityType = apps.get_model("khuyencong", "ActivityType")
    kinds = kinds if kinds is not None else DOCUMENT_KINDS + SCHEME_DOCUMENT_KINDS
    for order, (code, name, hint, every, activities, *applies_to) in enumerate(kinds, start=1):
        defaults = {"name": name, "hint": hint, "for_every_request": every, "order": order}
        if applies_to:  # absent from the entries written before the field existed
            defaults["applies_to"] = applies_to[0]
        kind, _ = DocumentKind.objects.update_or_create(code=code, defaults=defaults)
        kind.activity_types.set(ActivityType.objects.filter(code__in=activities))
