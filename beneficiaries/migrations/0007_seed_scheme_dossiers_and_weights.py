from django.db import migrations

from beneficiaries.reference import ensure_document_kinds


def forwards(apps, schema_editor):
    ensure_document_kinds(apps)
    PriorityWeight = apps.get_model("beneficiaries", "PriorityWeight")
    for flag in (
        "local_strength",
        "environment_friendly",
        "new_technology",
        "new_product",
        "local_materials",
        "labour_intensive",
    ):
        PriorityWeight.objects.get_or_create(flag=flag, defaults={"weight": 1})


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0006_dossier_kinds_priority_weights")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
