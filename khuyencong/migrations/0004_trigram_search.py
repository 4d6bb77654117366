"""pg_trgm, so that the lists' free-text search ("bac quang" in search_text) is served by a
trigram index instead of reading every row. pg_trgm is a trusted extension: the database's
owner may create it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("khuyencong", "0003_priority_area_flags")]
    operations = [
        migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", migrations.RunSQL.noop)
    ]
