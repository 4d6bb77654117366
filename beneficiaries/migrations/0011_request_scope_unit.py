"""Each request carries its facility's unit (`scope_unit`), written by the database: on insert,
on a change of facility, and on every request of a facility that moves to another unit. Scoping
the request list by it counts 50,000 requests in 10 ms instead of 65 ms through the facilities.
Triggers rather than Python, because facilities move through forms, the admin, imports
(bulk_update) and the bench data generator alike."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE beneficiaries_supportrequest AS r SET scope_unit_id = f.unit_id
FROM beneficiaries_facility AS f WHERE f.id = r.facility_id;
"""

TRIGGERS = """
CREATE FUNCTION request_scope_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.scope_unit_id := (SELECT unit_id FROM beneficiaries_facility WHERE id = NEW.facility_id);
    RETURN NEW;
END $$;
CREATE TRIGGER request_scope_unit BEFORE INSERT OR UPDATE OF facility_id, scope_unit_id
    ON beneficiaries_supportrequest FOR EACH ROW EXECUTE FUNCTION request_scope_unit();

CREATE FUNCTION facility_moves_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE beneficiaries_supportrequest SET scope_unit_id = NEW.unit_id
    WHERE facility_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER facility_moves_requests AFTER UPDATE OF unit_id ON beneficiaries_facility
    FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id)
    EXECUTE FUNCTION facility_moves_requests();
"""

DROP = """
DROP TRIGGER facility_moves_requests ON beneficiaries_facility;
DROP FUNCTION facility_moves_requests();
DROP TRIGGER request_scope_unit ON beneficiaries_supportrequest;
DROP FUNCTION request_scope_unit();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0010_form_token"),
        ("khuyencong", "0005_access_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportrequest",
            name="scope_unit",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="khuyencong.administrativeunit",
                verbose_name="địa bàn (theo cơ sở)",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, DROP),
    ]
