"""A facility moved to today's unit after the reform of 1 July 2025 (it leaves a unit that has
ended for one that has not) no longer takes its requests with it: they keep `scope_unit`, the
unit of their day, which the reports of their period group by; today's unit sees them through
its predecessors. Any other move of a facility (a correction) still moves them. And a save of a
request that does not change its facility keeps the unit it has, instead of reading the
facility's again."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION facility_leaves_ended_unit(old_unit bigint, new_unit bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    -- Without the clock (the database's day is UTC's, not Vietnam's): the old unit has an end,
    -- the new one none or a later one.
    SELECT EXISTS (
        SELECT 1 FROM khuyencong_administrativeunit AS o, khuyencong_administrativeunit AS n
        WHERE o.id = old_unit AND n.id = new_unit AND o.valid_to IS NOT NULL
          AND (n.valid_to IS NULL OR n.valid_to > o.valid_to)
    )
$$;

CREATE OR REPLACE FUNCTION request_scope_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- pg_trigger_depth() > 1: the update comes from facility_moves_requests.
    IF TG_OP = 'UPDATE' AND NEW.facility_id = OLD.facility_id AND pg_trigger_depth() = 1 THEN
        NEW.scope_unit_id := OLD.scope_unit_id;
    ELSE
        NEW.scope_unit_id := (
            SELECT unit_id FROM beneficiaries_facility WHERE id = NEW.facility_id
        );
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION facility_moves_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF facility_leaves_ended_unit(OLD.unit_id, NEW.unit_id) THEN
        RETURN NULL;
    END IF;
    -- Only the rows that were where the facility was: those kept at an ended unit stay.
    UPDATE beneficiaries_supportrequest SET scope_unit_id = NEW.unit_id
    WHERE facility_id = NEW.id AND scope_unit_id IS NOT DISTINCT FROM OLD.unit_id;
    RETURN NULL;
END $$;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION request_scope_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.scope_unit_id := (SELECT unit_id FROM beneficiaries_facility WHERE id = NEW.facility_id);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION facility_moves_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE beneficiaries_supportrequest SET scope_unit_id = NEW.unit_id
    WHERE facility_id = NEW.id;
    RETURN NULL;
END $$;

DROP FUNCTION facility_leaves_ended_unit(bigint, bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0016_import_batches_in_the_worker"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
