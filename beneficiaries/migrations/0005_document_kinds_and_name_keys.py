from django.db import migrations

from beneficiaries.reference import DOCUMENT_KINDS, ensure_document_kinds
from khuyencong.text import search_key


def forwards(apps, schema_editor):
    ensure_document_kinds(apps, DOCUMENT_KINDS)
    Facility = apps.get_model("beneficiaries", "Facility")
    for facility in Facility.objects.only("pk", "name").iterator():
        Facility.objects.filter(pk=facility.pk).update(name_key=search_key(facility.name))


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0004_intake_documents_imports"),
        ("khuyencong", "0002_reference_lists"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
