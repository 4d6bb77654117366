"""Scheme codes in one style: "KCĐP-2027-01" and "KCQG-…" become "ĐP-2027-01" and "QG-…", as
the programme writes them and as the code generator now makes them (schemes/planning.py). A code
whose new form is already taken in its plan is left as it is."""

from django.db import migrations


def rename(apps, schema_editor):
    Scheme = apps.get_model("schemes", "Scheme")
    for old in ("KCĐP-", "KCQG-"):
        for scheme in Scheme.objects.filter(code__startswith=old).only("pk", "plan_id", "code"):
            new = scheme.code.removeprefix("KC")
            if not Scheme.objects.filter(plan_id=scheme.plan_id, code=new).exists():
                Scheme.objects.filter(pk=scheme.pk).update(code=new)


class Migration(migrations.Migration):
    dependencies = [("schemes", "0015_document_names_and_photo_thumbnails")]
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
