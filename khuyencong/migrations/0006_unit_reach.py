"""Each unit keeps `reach`: its own path, then the paths of the ended units whose records it now
holds — the units whose `successor` is it or a unit below it, and theirs in turn — leaving out a
path that lies under another of the list. Scope matches a row's unit against each prefix, so a
commune sees its former communes' facilities and the merged province the former one's, with no
query more than before. Written by the database after every statement that adds, removes or
moves a unit or changes a successor, because units change through the admin, the demo's and the
bench's bulk writes and `update()` alike."""

import django.contrib.postgres.fields
from django.db import migrations, models

REACH = """
CREATE FUNCTION unit_refresh_reach() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH RECURSIVE
    ids AS (  -- a path as ids, root first
        SELECT id, path, string_to_array(trim(both '/' from path), '/')::bigint[] AS chain
        FROM khuyencong_administrativeunit WHERE path <> ''
    ),
    edge AS (  -- the successor and every unit above it hold the predecessor's subtree
        SELECT unnest(s.chain) AS holder, y.id AS taken, y.path, y.chain
        FROM ids y JOIN khuyencong_administrativeunit u ON u.id = y.id
        JOIN ids s ON s.id = u.successor_id
    ),
    held AS (
        SELECT holder, taken, path, chain FROM edge
        UNION
        SELECT h.holder, e.taken, e.path, e.chain FROM held h JOIN edge e ON e.holder = h.taken
    ),
    roots AS (
        SELECT holder, array_agg(taken) || holder AS ids FROM held GROUP BY holder
    ),
    kept AS (  -- a path under the holder or under another held unit adds nothing
        SELECT h.holder, array_agg(DISTINCT h.path ORDER BY h.path) AS paths
        FROM held h JOIN roots r USING (holder)
        WHERE h.taken <> h.holder AND NOT (h.chain[1:cardinality(h.chain) - 1] && r.ids)
        GROUP BY h.holder
    ),
    fresh AS (
        SELECT i.id, ARRAY[i.path]::varchar[] || coalesce(k.paths, '{}'::varchar[]) AS reach
        FROM ids i LEFT JOIN kept k ON k.holder = i.id
    )
    UPDATE khuyencong_administrativeunit u SET reach = fresh.reach
    FROM fresh WHERE fresh.id = u.id AND u.reach IS DISTINCT FROM fresh.reach;
    RETURN NULL;
END $$;
CREATE TRIGGER unit_refresh_reach AFTER INSERT OR DELETE OR UPDATE OF path, successor_id
    ON khuyencong_administrativeunit FOR EACH STATEMENT EXECUTE FUNCTION unit_refresh_reach();
-- Fill it for the units already there.
UPDATE khuyencong_administrativeunit SET path = path WHERE id = (
    SELECT min(id) FROM khuyencong_administrativeunit);
"""

DROP = """
DROP TRIGGER unit_refresh_reach ON khuyencong_administrativeunit;
DROP FUNCTION unit_refresh_reach();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("khuyencong", "0005_access_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="administrativeunit",
            name="reach",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=255),
                blank=True,
                default=list,
                editable=False,
                size=None,
            ),
        ),
        migrations.RunSQL(REACH, DROP),
    ]
