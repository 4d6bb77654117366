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
