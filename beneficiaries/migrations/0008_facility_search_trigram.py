from django.db import migrations

from khuyencong.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0007_seed_scheme_dossiers_and_weights"),
        ("khuyencong", "0004_trigram_search"),
    ]
    operations = [
        trigram_index("beneficiaries_facility", "search_text", "facility_search_trgm")
    ]
