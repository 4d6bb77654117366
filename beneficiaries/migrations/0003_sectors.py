"""Seeds the sectors (ngành nghề) of rural-industry facilities."""

from django.db import migrations

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


def seed(apps, schema_editor):
    Sector = apps.get_model("beneficiaries", "Sector")
    for order, (code, name) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
