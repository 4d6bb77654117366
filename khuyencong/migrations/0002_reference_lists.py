"""Seeds the programme's reference lists (khuyencong/reference.py)."""

from django.db import migrations

from khuyencong.reference import ensure_reference_lists


def seed(apps, schema_editor):
    ensure_reference_lists(apps)


class Migration(migrations.Migration):
    dependencies = [("khuyencong", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
