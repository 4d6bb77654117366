"""Seeds the sectors of rural-industry facilities (beneficiaries/reference.py)."""

from django.db import migrations

from beneficiaries.reference import ensure_sectors


def seed(apps, schema_editor):
    ensure_sectors(apps)


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
