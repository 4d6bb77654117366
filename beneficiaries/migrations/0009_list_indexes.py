"""Indexes for the list pages at ten provinces' scale: the facility list's order, the request
list's year (read in order, then sorted by facility within the year) and status (the review
queue and the dashboard read the few requests waiting for review)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0008_facility_search_trigram")]
    operations = [
        migrations.AddIndex(
            model_name="facility",
            index=models.Index(fields=["name_key", "id"], name="facility_name_key_idx"),
        ),
        migrations.AddIndex(
            model_name="supportrequest",
            index=models.Index(fields=["year"], name="request_year_idx"),
        ),
        migrations.AddIndex(
            model_name="supportrequest",
            index=models.Index(fields=["status"], name="request_status_idx"),
        ),
    ]
