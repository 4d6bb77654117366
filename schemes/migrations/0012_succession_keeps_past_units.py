"""As for requests (beneficiaries 0017): a scheme's beneficiary keeps `scope_unit`, the unit of
its day, when its facility moves to today's unit after the reform; a correction of the
facility's unit still moves it, and a save of the row keeps the unit it has."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION beneficiary_scope_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- pg_trigger_depth() > 1: the update comes from facility_moves_beneficiaries.
    IF TG_OP = 'UPDATE' AND NEW.facility_id = OLD.facility_id AND pg_trigger_depth() = 1 THEN
        NEW.scope_unit_id := OLD.scope_unit_id;
    ELSE
        NEW.scope_unit_id := (
            SELECT unit_id FROM beneficiaries_facility WHERE id = NEW.facility_id
        );
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION facility_moves_beneficiaries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF facility_leaves_ended_unit(OLD.unit_id, NEW.unit_id) THEN
        RETURN NULL;
    END IF;
    -- Only the rows that were where the facility was: those kept at an ended unit stay.
    UPDATE schemes_schemebeneficiary SET scope_unit_id = NEW.unit_id
    WHERE facility_id = NEW.id AND scope_unit_id IS NOT DISTINCT FROM OLD.unit_id;
    RETURN NULL;
END $$;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION beneficiary_scope_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.scope_unit_id := (SELECT unit_id FROM beneficiaries_facility WHERE id = NEW.facility_id);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION facility_moves_beneficiaries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE schemes_schemebeneficiary SET scope_unit_id = NEW.unit_id WHERE facility_id = NEW.id;
    RETURN NULL;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0017_succession_keeps_past_units"),
        ("schemes", "0011_text_limits"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
