"""Two things the database now keeps for the lists and the dashboard at ten provinces' scale.

- `SchemeTotals`: each scheme's disbursed and accepted sums, recomputed by triggers whenever a
  disbursement, a contract's scheme or an acceptance is written or deleted. A writer first locks
  its schemes' totals rows, then sums in a statement of its own: two payments recorded at once
  on one scheme wait for each other, and the second sum sees the first payment (a sum begun
  before the first commit would not).
- `SchemeBeneficiary.scope_unit`: the facility's unit, as for requests (beneficiaries 0011).
"""

import django.db.models.deletion
from django.db import migrations, models

EVENTS = {
    "INSERT": "NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}

# Statement-level triggers with transition tables: a COPY of 22,000 payments (the bench data)
# or a single payment recorded by a form each refresh their schemes' sums once.
TOTALS = (
    """
CREATE FUNCTION scheme_totals_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
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

CREATE FUNCTION scheme_totals_of_scheme() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO schemes_schemetotals (scheme_id, disbursed, accepted)
        SELECT id, 0, 0 FROM new_rows;
    ELSE
        DELETE FROM schemes_schemetotals WHERE scheme_id IN (SELECT id FROM old_rows);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER scheme_totals_of_new_scheme AFTER INSERT ON schemes_scheme
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION scheme_totals_of_scheme();
CREATE TRIGGER scheme_totals_of_deleted_scheme AFTER DELETE ON schemes_scheme
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION scheme_totals_of_scheme();

CREATE FUNCTION scheme_totals_of_disbursements() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE contracts bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        contracts := ARRAY(SELECT contract_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        contracts := ARRAY(SELECT contract_id FROM old_rows);
    ELSE
        contracts := ARRAY(SELECT contract_id FROM old_rows UNION SELECT contract_id FROM new_rows);
    END IF;
    PERFORM scheme_totals_refresh(
        ARRAY(SELECT DISTINCT scheme_id FROM schemes_contract WHERE id = ANY(contracts)));
    RETURN NULL;
END $$;

CREATE FUNCTION scheme_totals_of_contracts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM scheme_totals_refresh(ARRAY(
        SELECT o.scheme_id FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE n.scheme_id <> o.scheme_id
        UNION SELECT n.scheme_id FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE n.scheme_id <> o.scheme_id));
    RETURN NULL;
END $$;

CREATE FUNCTION scheme_totals_of_acceptances() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER {function}_{event.lower()} AFTER {event} ON {table}
    REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""
        for table, function, events in (
            ("schemes_disbursement", "scheme_totals_of_disbursements", EVENTS),
            ("schemes_contract", "scheme_totals_of_contracts", {"UPDATE": EVENTS["UPDATE"]}),
            ("schemes_acceptance", "scheme_totals_of_acceptances", EVENTS),
        )
        for event, tables in events.items()
    )
    + """
INSERT INTO schemes_schemetotals (scheme_id, disbursed, accepted)
SELECT id, 0, 0 FROM schemes_scheme;
SELECT scheme_totals_refresh(ARRAY(SELECT id FROM schemes_scheme));
"""
)

DROP_TOTALS = """
DROP FUNCTION scheme_totals_of_acceptances(), scheme_totals_of_contracts(),
    scheme_totals_of_disbursements(), scheme_totals_of_scheme(), scheme_totals_refresh(bigint[])
    CASCADE;
"""

SCOPE = """
UPDATE schemes_schemebeneficiary AS b SET scope_unit_id = f.unit_id
FROM beneficiaries_facility AS f WHERE f.id = b.facility_id;

CREATE FUNCTION beneficiary_scope_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.scope_unit_id := (SELECT unit_id FROM beneficiaries_facility WHERE id = NEW.facility_id);
    RETURN NEW;
END $$;
CREATE TRIGGER beneficiary_scope_unit BEFORE INSERT OR UPDATE OF facility_id, scope_unit_id
    ON schemes_schemebeneficiary FOR EACH ROW EXECUTE FUNCTION beneficiary_scope_unit();

CREATE FUNCTION facility_moves_beneficiaries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE schemes_schemebeneficiary SET scope_unit_id = NEW.unit_id WHERE facility_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER facility_moves_beneficiaries AFTER UPDATE OF unit_id ON beneficiaries_facility
    FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id)
    EXECUTE FUNCTION facility_moves_beneficiaries();
"""

DROP_SCOPE = """
DROP TRIGGER facility_moves_beneficiaries ON beneficiaries_facility;
DROP FUNCTION facility_moves_beneficiaries();
DROP TRIGGER beneficiary_scope_unit ON schemes_schemebeneficiary;
DROP FUNCTION beneficiary_scope_unit();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("khuyencong", "0005_access_log"),
        ("schemes", "0006_scheme_search_trigram"),
    ]

    operations = [
        migrations.CreateModel(
            name="SchemeTotals",
            fields=[
                (
                    "scheme",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="totals",
                        serialize=False,
                        to="schemes.scheme",
                    ),
                ),
                ("disbursed", models.BigIntegerField(default=0, verbose_name="đã chi")),
                ("accepted", models.BigIntegerField(default=0, verbose_name="đã nghiệm thu")),
            ],
            options={
                "verbose_name": "tổng chi, nghiệm thu của đề án",
                "verbose_name_plural": "tổng chi, nghiệm thu của đề án",
            },
        ),
        migrations.AddField(
            model_name="schemebeneficiary",
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
        migrations.RunSQL(TOTALS, DROP_TOTALS),
        migrations.RunSQL(SCOPE, DROP_SCOPE),
    ]
