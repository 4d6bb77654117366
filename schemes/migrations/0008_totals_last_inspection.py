"""SchemeTotals also keeps whether a scheme has passed acceptance and its last inspection (date
and problems), so that the risk flags test columns instead of searching each scheme's
inspections and acceptances. The refresh of 0007 now computes them too, and inspections call
it as acceptances do."""

from django.db import migrations, models

EVENTS = {
    "INSERT": "NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}

# 0007's refresh, plus the three new columns. Same signature: its triggers call it unchanged.
REFRESH = """
CREATE OR REPLACE FUNCTION scheme_totals_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM schemes_schemetotals WHERE scheme_id = ANY(ids) ORDER BY scheme_id FOR UPDATE;
    UPDATE schemes_schemetotals AS t
    SET disbursed = COALESCE(paid.total, 0), accepted = COALESCE(passed.total, 0),
        has_passed_acceptance = passed.scheme_id IS NOT NULL,
        last_inspected_on = last.inspected_on, last_problem = COALESCE(last.problems, '')
    FROM unnest(ids) AS s(id)
    LEFT JOIN (
        SELECT c.scheme_id, SUM(d.amount) AS total FROM schemes_disbursement d
        JOIN schemes_contract c ON c.id = d.contract_id WHERE c.scheme_id = ANY(ids)
        GROUP BY c.scheme_id
    ) AS paid ON paid.scheme_id = s.id
    LEFT JOIN (
        SELECT scheme_id, SUM(accepted_amount) AS total FROM schemes_acceptance
        WHERE result = 'passed' AND scheme_id = ANY(ids) GROUP BY scheme_id
    ) AS passed ON passed.scheme_id = s.id
    LEFT JOIN LATERAL (
        SELECT i.inspected_on, i.problems FROM schemes_inspection i
        WHERE i.scheme_id = s.id ORDER BY i.inspected_on DESC, i.id DESC LIMIT 1
    ) AS last ON true
    WHERE t.scheme_id = s.id;
END $$;
"""

OLD_REFRESH = """
CREATE OR REPLACE FUNCTION scheme_totals_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM schemes_schemetotals WHERE scheme_id = ANY(ids) ORDER BY scheme_id FOR UPDATE;
    UPDATE schemes_schemetotals AS t
    SET disbursed = COALESCE(paid.total, 0), accepted = COALESCE(passed.total, 0)
    FROM unnest(ids) AS s(id)
    LEFT JOIN (
        SELECT c.scheme_id, SUM(d.amount) AS total FROM schemes_disbursement d
        JOIN schemes_contract c ON c.id = d.contract_id WHERE c.scheme_id = ANY(ids)
        GROUP BY c.scheme_id
    ) AS paid ON paid.scheme_id = s.id
    LEFT JOIN (
        SELECT scheme_id, SUM(accepted_amount) AS total FROM schemes_acceptance
        WHERE result = 'passed' AND scheme_id = ANY(ids) GROUP BY scheme_id
    ) AS passed ON passed.scheme_id = s.id
    WHERE t.scheme_id = s.id;
END $$;
"""

INSPECTIONS = (
    """
CREATE FUNCTION scheme_totals_of_inspections() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM scheme_totals_refresh(ARRAY(SELECT DISTINCT scheme_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM scheme_totals_refresh(ARRAY(SELECT DISTINCT scheme_id FROM old_rows));
    ELSE
        PERFORM scheme_totals_refresh(
            ARRAY(SELECT scheme_id FROM old_rows UNION SELECT scheme_id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;
"""
    + "".join(
        f"""
CREATE TRIGGER scheme_totals_of_inspections_{event.lower()} AFTER {event} ON schemes_inspection
    REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION scheme_totals_of_inspections();
"""
        for event, tables in EVENTS.items()
    )
    + """
SELECT scheme_totals_refresh(ARRAY(SELECT id FROM schemes_scheme));
"""
)

DROP_INSPECTIONS = "DROP FUNCTION scheme_totals_of_inspections() CASCADE;"



class Migration(migrations.Migration):

    dependencies = [
        ('schemes', '0007_scheme_totals_and_beneficiary_scope'),
    ]

    operations = [
        migrations.AddField(
            model_name='schemetotals',
            name='has_passed_acceptance',
            field=models.BooleanField(db_default=False, verbose_name='đã nghiệm thu đạt'),
        ),
        migrations.AddField(
            model_name='schemetotals',
            name='last_inspected_on',
            field=models.DateField(blank=True, null=True, verbose_name='kiểm tra gần nhất'),
        ),
        migrations.AddField(
            model_name='schemetotals',
            name='last_problem',
            field=models.TextField(blank=True, db_default='', verbose_name='vướng mắc ở lần kiểm tra gần nhất'),
        ),
        migrations.RunSQL(REFRESH, OLD_REFRESH),
        migrations.RunSQL(INSPECTIONS, DROP_INSPECTIONS),
    ]
