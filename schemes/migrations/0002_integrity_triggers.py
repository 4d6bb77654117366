"""Rules across rows that a CheckConstraint cannot express, enforced by PostgreSQL itself:
beneficiaries' support within the scheme's budget, payments within the contract's value, the
accepted amount within the approved budget. Each trigger locks the scheme or contract row, so
two writes at once are checked one after the other. The services check the same rules first
and explain them in Vietnamese; these triggers are the last line."""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION khuyencong_check_beneficiaries() RETURNS trigger AS $$
DECLARE budget bigint; total bigint;
BEGIN
  SELECT s.budget INTO budget FROM schemes_scheme s WHERE s.id = NEW.scheme_id FOR UPDATE;
  SELECT COALESCE(SUM(support_amount), 0) INTO total
    FROM schemes_schemebeneficiary WHERE scheme_id = NEW.scheme_id;
  IF total > budget THEN
    RAISE EXCEPTION 'beneficiaries support % exceeds scheme budget %', total, budget
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER schemebeneficiary_within_budget
  AFTER INSERT OR UPDATE OF support_amount, scheme_id ON schemes_schemebeneficiary
  FOR EACH ROW EXECUTE FUNCTION khuyencong_check_beneficiaries();

CREATE FUNCTION khuyencong_check_scheme_budget() RETURNS trigger AS $$
DECLARE total bigint; accepted bigint;
BEGIN
  SELECT COALESCE(SUM(support_amount), 0) INTO total
    FROM schemes_schemebeneficiary WHERE scheme_id = NEW.id;
  SELECT COALESCE(SUM(accepted_amount), 0) INTO accepted
    FROM schemes_acceptance WHERE scheme_id = NEW.id AND result = 'passed';
  IF total > NEW.budget OR accepted > NEW.budget THEN
    RAISE EXCEPTION 'scheme budget % below what is already allotted', NEW.budget
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER scheme_budget_covers_allotments
  AFTER UPDATE OF budget ON schemes_scheme
  FOR EACH ROW EXECUTE FUNCTION khuyencong_check_scheme_budget();

CREATE FUNCTION khuyencong_check_disbursements() RETURNS trigger AS $$
DECLARE value bigint; paid bigint;
BEGIN
  SELECT c.value INTO value FROM schemes_contract c WHERE c.id = NEW.contract_id FOR UPDATE;
  SELECT COALESCE(SUM(amount), 0) INTO paid
    FROM schemes_disbursement WHERE contract_id = NEW.contract_id;
  IF paid > value THEN
    RAISE EXCEPTION 'disbursed % exceeds contract value %', paid, value
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER disbursement_within_contract
  AFTER INSERT OR UPDATE OF amount, contract_id ON schemes_disbursement
  FOR EACH ROW EXECUTE FUNCTION khuyencong_check_disbursements();

CREATE FUNCTION khuyencong_check_contract_value() RETURNS trigger AS $$
BEGIN
  IF (SELECT COALESCE(SUM(amount), 0) FROM schemes_disbursement
      WHERE contract_id = NEW.id) > NEW.value THEN
    RAISE EXCEPTION 'contract value % below what is already paid', NEW.value
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER contract_value_covers_payments
  AFTER UPDATE OF value ON schemes_contract
  FOR EACH ROW EXECUTE FUNCTION khuyencong_check_contract_value();

CREATE FUNCTION khuyencong_check_acceptance() RETURNS trigger AS $$
DECLARE budget bigint; accepted bigint;
BEGIN
  SELECT s.budget INTO budget FROM schemes_scheme s WHERE s.id = NEW.scheme_id FOR UPDATE;
  SELECT COALESCE(SUM(accepted_amount), 0) INTO accepted
    FROM schemes_acceptance WHERE scheme_id = NEW.scheme_id AND result = 'passed';
  IF accepted > budget THEN
    RAISE EXCEPTION 'accepted % exceeds approved budget %', accepted, budget
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER acceptance_within_budget
  AFTER INSERT OR UPDATE OF accepted_amount, result, scheme_id ON schemes_acceptance
  FOR EACH ROW EXECUTE FUNCTION khuyencong_check_acceptance();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS schemebeneficiary_within_budget ON schemes_schemebeneficiary;
DROP TRIGGER IF EXISTS scheme_budget_covers_allotments ON schemes_scheme;
DROP TRIGGER IF EXISTS disbursement_within_contract ON schemes_disbursement;
DROP TRIGGER IF EXISTS contract_value_covers_payments ON schemes_contract;
DROP TRIGGER IF EXISTS acceptance_within_budget ON schemes_acceptance;
DROP FUNCTION IF EXISTS khuyencong_check_beneficiaries();
DROP FUNCTION IF EXISTS khuyencong_check_scheme_budget();
DROP FUNCTION IF EXISTS khuyencong_check_disbursements();
DROP FUNCTION IF EXISTS khuyencong_check_contract_value();
DROP FUNCTION IF EXISTS khuyencong_check_acceptance();
"""


class Migration(migrations.Migration):
    dependencies = [("schemes", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
