"""The database itself refuses rows that must never be stored, whatever code writes them."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from tests import factories as f

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_it_refuses_negative_money():
    refused(lambda: f.PlanFactory(budget=-1))
    refused(lambda: f.SchemeFactory(budget=-1))
    refused(lambda: f.ContractFactory(value=-5))
    refused(lambda: f.SchemeBeneficiaryFactory(support_amount=-1))


def test_it_refuses_a_zero_or_negative_payment():
    refused(lambda: f.DisbursementFactory(amount=0))


def test_it_refuses_a_scheme_that_ends_before_it_starts():
    refused(
        lambda: f.SchemeFactory(
            start_date=datetime.date(2022, 5, 1), end_date=datetime.date(2022, 4, 30)
        )
    )


def test_it_refuses_a_quarter_outside_1_to_4():
    refused(lambda: f.QuarterlyReportFactory(quarter=5))
    refused(lambda: f.QuarterlyReportFactory(quarter=0))


def test_it_refuses_a_done_report_without_its_pdf():
    refused(lambda: f.QuarterlyReportFactory(status="done"))


def test_it_refuses_a_request_asking_more_than_its_cost_allows():
    refused(
        lambda: f.SupportRequestFactory(
            total_cost=100_000_000, support_requested=80_000_000, counterpart=30_000_000
        )
    )


def test_it_refuses_a_rejection_without_reason():
    refused(lambda: f.SupportRequestFactory(status="rejected", reject_reason=""))


def test_it_refuses_a_malformed_tax_code():
    refused(lambda: f.FacilityFactory(tax_code="12345"))
    f.FacilityFactory(tax_code="5100190123-001")  # a branch: 10 digits, dash, 3 digits


def test_it_refuses_progress_above_100_percent():
    refused(lambda: f.InspectionFactory(progress_percent=101))


def test_it_refuses_a_failed_acceptance_that_accepts_money():
    refused(lambda: f.AcceptanceFactory(result="failed", accepted_amount=1))


def test_it_refuses_an_approved_scheme_without_decision():
    refused(lambda: f.SchemeFactory(status="approved", approval_number=""))


def test_it_refuses_a_unit_valid_to_before_valid_from():
    refused(
        lambda: f.ProvinceFactory(
            valid_from=datetime.date(2025, 7, 1), valid_to=datetime.date(2025, 6, 30)
        )
    )


def test_it_refuses_two_current_units_with_one_code():
    f.ProvinceFactory(code="02")
    refused(lambda: f.ProvinceFactory(code="02"))
    f.ProvinceFactory(code="02", valid_to=datetime.date(2025, 6, 30))  # a past unit may share it


def test_it_refuses_beneficiaries_whose_support_exceeds_the_scheme_budget():
    scheme = f.SchemeFactory(budget=300_000_000)
    f.SchemeBeneficiaryFactory(scheme=scheme, support_amount=200_000_000)
    refused(lambda: f.SchemeBeneficiaryFactory(scheme=scheme, support_amount=100_000_001))


def test_it_refuses_payments_beyond_the_contract_value():
    contract = f.ContractFactory(value=100_000_000)
    f.DisbursementFactory(contract=contract, amount=70_000_000)
    refused(lambda: f.DisbursementFactory(contract=contract, amount=30_000_001))


def test_it_refuses_an_accepted_amount_above_the_approved_budget():
    scheme = f.SchemeFactory(budget=100_000_000)
    refused(lambda: f.AcceptanceFactory(scheme=scheme, accepted_amount=100_000_001))


def test_it_refuses_lowering_a_budget_below_what_is_allotted():
    link = f.SchemeBeneficiaryFactory(support_amount=200_000_000)
    scheme = link.scheme
    scheme.budget = 199_999_999
    refused(scheme.save)
