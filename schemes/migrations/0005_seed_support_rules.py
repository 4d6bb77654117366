"""Seeds the national programme's support caps (schemes/reference.py)."""

from django.db import migrations

from schemes.reference import ensure_support_rules


def seed(apps, schema_editor):
    ensure_support_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("schemes", "0004_support_rules"), ("khuyencong", "0002_reference_lists")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
