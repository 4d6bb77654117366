"""pg_trgm, so that the lists' free-text search ("bac quang" in search_text) is served by a
trigram index instead of reading every row. PostgreSQL only: SQLite (make run) has no such
index and does not need one at its size. pg_trgm is a trusted extension: the database's owner
may create it."""

from django.db import migrations


def create_extension(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("khuyencong", "0003_priority_area_flags")]
    operations = [migrations.RunPython(create_extension, migrations.RunPython.noop)]
