"""Scheme codes in one style, "QG-2026-01" and "ĐP-2026-01": the generator's and, after the
data migration, the stored ones'."""

import importlib

import pytest
from django.apps import apps

from schemes.planning import _next_code, scheme_code_prefix
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_plan(province):
    source = f.FundingSourceFactory(code="KCDP", short_name="KCĐP", name="Khuyến công địa phương")
    return f.PlanFactory(unit=province.province, year=2027, funding_source=source)


def test_a_plans_first_code_is_in_the_programmes_style(local_plan):
    assert scheme_code_prefix(local_plan) == "ĐP-2027-"
    assert _next_code(local_plan) == "ĐP-2027-01"
    national = f.PlanFactory(year=2026)
    assert _next_code(national) == "QG-2026-01"


def test_the_next_code_follows_the_highest_of_that_style(local_plan):
    for code in ("ĐP-2027-01", "ĐP-2027-07", "KCĐP-2027-09", "Đề án riêng"):
        f.SchemeFactory(plan=local_plan, code=code)
    assert _next_code(local_plan) == "ĐP-2027-08"


def test_the_migration_renames_the_other_style_unless_taken(local_plan):
    renamed = f.SchemeFactory(plan=local_plan, code="KCĐP-2027-01")
    kept = f.SchemeFactory(plan=local_plan, code="KCĐP-2027-02")
    f.SchemeFactory(plan=local_plan, code="ĐP-2027-02")  # the new form is taken: left alone
    national = f.SchemeFactory(code="KCQG-2022-05")
    migration = importlib.import_module("schemes.migrations.0016_scheme_codes_one_style")
    migration.rename(apps, None)
    for scheme in (renamed, kept, national):
        scheme.refresh_from_db()
    assert (renamed.code, kept.code, national.code) == ("ĐP-2027-01", "KCĐP-2027-02", "QG-2022-05")
