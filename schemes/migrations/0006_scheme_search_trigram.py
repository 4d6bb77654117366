from django.db import migrations

from khuyencong.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("schemes", "0005_seed_support_rules"), ("khuyencong", "0004_trigram_search")]
    operations = [trigram_index("schemes_scheme", "search_text", "scheme_search_trgm")]
