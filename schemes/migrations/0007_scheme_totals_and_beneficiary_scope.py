"""Two things the database now keeps for the lists and the dashboard at ten provinces' scale.

- `SchemeTotals`: each scheme's disbursed and accepted sums, recomputed by triggers whenever a
  disbursement, a contract's scheme or an acceptance is written or deleted. A writer first locks
  the scheme's totals row, then sums: two payments recorded at once on one scheme wait for each
  other, and the second sum sees the first payment.
- `SchemeBeneficiary.scope_unit`: the facility's unit, as for requests (beneficiaries 0011).
"""

import django.db.models.deletion
from django.db import migrations, models

TOTALS = """
CREATE FUNCTION scheme_totals_refresh(sid bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF sid IS NULL THEN RETURN; END IF;
    PERFORM 1 FROM schemes_schemetotals WHERE scheme_id = sid FOR UPDATE;
    UPDATE schemes_schemetotals SET
        disbursed = (
            SELECT COALESCE(SUM(d.amount), 0) FROM schemes_disbursement d
            JOIN schemes_contract c ON c.id = d.contract_id WHERE c.scheme_id = sid
        ),
        accepted = (
            SELECT COALESCE(SUM(a.accepted_amount), 0) FROM schemes_acceptance a
            WHERE a.scheme_id = sid AND a.result = 'passed'
        )
    WHERE scheme_id = sid;
END $$;

CREATE FUNCTION scheme_totals_of_scheme() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO schemes_schemetotals (scheme_id, disbursed, accepted) VALUES (NEW.id, 0, 0);
    ELSE
        DELETE FROM schemes_schemetotals WHERE scheme_id = OLD.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER scheme_totals_of_scheme AFTER INSERT OR DELETE ON schemes_scheme
    FOR EACH ROW EXECUTE FUNCTION scheme_totals_of_scheme();

CREATE FUNCTION scheme_totals_of_disbursement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM scheme_totals_refresh(
            (SELECT scheme_id FROM schemes_contract WHERE id = OLD.contract_id));
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.contract_id <> OLD.contract_id) THEN
        PERFORM scheme_totals_refresh(
            (SELECT scheme_id FROM schemes_contract WHERE id = NEW.contract_id));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER scheme_totals_of_disbursement
    AFTER INSERT OR DELETE OR UPDATE OF amount, contract_id ON schemes_disbursement
    FOR EACH ROW EXECUTE FUNCTION scheme_totals_of_disbursement();

CREATE FUNCTION scheme_totals_of_contract() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM scheme_totals_refresh(OLD.scheme_id);
    PERFORM scheme_totals_refresh(NEW.scheme_id);
    RETURN NULL;
END $$;
CREATE TRIGGER scheme_totals_of_contract AFTER UPDATE OF scheme_id ON schemes_contract
    FOR EACH ROW WHEN (OLD.scheme_id IS DISTINCT FROM NEW.scheme_id)
    EXECUTE FUNCTION scheme_totals_of_contract();

CREATE FUNCTION scheme_totals_of_acceptance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM scheme_totals_refresh(OLD.scheme_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.scheme_id <> OLD.scheme_id) THEN
        PERFORM scheme_totals_refresh(NEW.scheme_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER scheme_totals_of_acceptance
    AFTER INSERT OR DELETE OR UPDATE OF scheme_id, result, accepted_amount ON schemes_acceptance
    FOR EACH ROW EXECUTE FUNCTION scheme_totals_of_acceptance();

INSERT INTO schemes_schemetotals (scheme_id, disbursed, accepted)
SELECT s.id,
    (SELECT COALESCE(SUM(d.amount), 0) FROM schemes_disbursement d
     JOIN schemes_contract c ON c.id = d.contract_id WHERE c.scheme_id = s.id),
    (SELECT COALESCE(SUM(a.accepted_amount), 0) FROM schemes_acceptance a
     WHERE a.scheme_id = s.id AND a.result = 'passed')
FROM schemes_scheme s;
"""

DROP_TOTALS = """
DROP TRIGGER scheme_totals_of_acceptance ON schemes_acceptance;
DROP TRIGGER scheme_totals_of_contract ON schemes_contract;
DROP TRIGGER scheme_totals_of_disbursement ON schemes_disbursement;
DROP TRIGGER scheme_totals_of_scheme ON schemes_scheme;
DROP FUNCTION scheme_totals_of_acceptance(), scheme_totals_of_contract(),
    scheme_totals_of_disbursement(), scheme_totals_of_scheme(), scheme_totals_refresh(bigint);
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
