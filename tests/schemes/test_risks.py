"""Risk flags: computed from the data in the list's one query, shown and filterable."""

import datetime

import pytest
from django.urls import reverse

from beneficiaries.models import DocumentKind
from schemes.models import Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2022, 10, 1)
DAY = datetime.timedelta(days=1)
TR = 1_000_000


@pytest.fixture
def make(province):
    plan = f.PlanFactory(unit=province.province)

    def _make(status="in_progress", **fields):
        decided = {} if status == "proposed" else {"approval_number": "1/QĐ"}
        return f.SchemeFactory(
            plan=plan,
            unit=province.district,
            status=status,
            approval_date=datetime.date(2022, 3, 1) if decided else None,
            **decided,
            **{"start_date": TODAY - 30 * DAY, "end_date": TODAY + 60 * DAY, **fields},
        )

    return _make


def risks(scheme):
    return [key for key, *_ in Scheme.objects.with_risks(today=TODAY).get(pk=scheme.pk).risks()]


def test_end_date_passed_and_not_accepted(make):
    assert "overdue" in risks(make(end_date=TODAY - DAY))
    assert "overdue" not in risks(make(end_date=TODAY))
    assert "overdue" not in risks(make(status="accepted", end_date=TODAY - DAY))


def test_no_inspection_for_90_days_while_in_progress(make):
    quiet = make(start_date=TODAY - 91 * DAY)
    assert "no_inspection" in risks(quiet)
    f.InspectionFactory(scheme=quiet, inspected_on=TODAY - 10 * DAY)
    assert "no_inspection" not in risks(quiet)
    assert "no_inspection" not in risks(make(start_date=TODAY - 90 * DAY))
    assert "no_inspection" not in risks(make(status="contracted", start_date=TODAY - 200 * DAY))
    stale = make()
    f.InspectionFactory(scheme=stale, inspected_on=TODAY - 91 * DAY)
    assert "no_inspection" in risks(stale)


def test_a_problem_at_the_last_inspection(make):
    scheme = make()
    f.InspectionFactory(scheme=scheme, inspected_on=TODAY - 20 * DAY, problems="Sạt lở đường")
    assert "problem" in risks(scheme)
    f.InspectionFactory(scheme=scheme, inspected_on=TODAY - 5 * DAY, problems="")
    assert "problem" not in risks(scheme)  # solved since


def test_disbursed_more_than_accepted(make):
    scheme = make(status="accepted")
    contract = f.ContractFactory(scheme=scheme, value=200 * TR)
    f.DisbursementFactory(contract=contract, amount=150 * TR)
    f.AcceptanceFactory(scheme=scheme, accepted_amount=150 * TR)
    assert "over_disbursed" not in risks(scheme)
    f.AcceptanceFactory(scheme=make(status="accepted"), accepted_amount=0, result="failed")
    scheme.acceptances.update(accepted_amount=149_999_999)
    assert "over_disbursed" in risks(scheme)


def test_advances_before_acceptance_are_no_risk(make):
    scheme = make()
    f.DisbursementFactory(contract=f.ContractFactory(scheme=scheme), amount=100 * TR)
    assert "over_disbursed" not in risks(scheme)


def test_documents_missing_close_to_acceptance(make, province):
    near = make(end_date=TODAY + 20 * DAY)
    far = make(end_date=TODAY + 60 * DAY)
    assert "documents" in risks(near)
    assert "documents" not in risks(far)
    link = f.SchemeBeneficiaryFactory(
        scheme=near, facility=f.FacilityFactory(unit=province.commune)
    )
    for kind in DocumentKind.objects.required_for(near.activity_type, "scheme"):
        near.documents.create(
            kind=kind, title=kind.name, file="x.pdf", content_type="application/pdf", size=1
        )
    assert "documents" in risks(near)  # the beneficiary's dossier is still missing
    for kind in DocumentKind.objects.required_for(near.activity_type, "beneficiary"):
        near.documents.create(
            kind=kind,
            beneficiary=link,
            title=kind.name,
            file="x.pdf",
            content_type="application/pdf",
            size=1,
        )
    assert "documents" not in risks(near)


def test_the_list_filters_and_shows_risks(login, officer, make):
    late = make(
        title="Đề án trễ hạn",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 1, 31),
    )
    make(
        title="Đề án đúng hạn",
        end_date=datetime.date(2099, 12, 31),
        start_date=datetime.date(2099, 1, 1),
    )
    client = login(officer)
    page = client.get(reverse("schemes:scheme_list"), {"risk": "overdue"}).text
    assert late.title in page and "Đề án đúng hạn" not in page and "Quá hạn" in page
    page = client.get(reverse("schemes:scheme_list"), {"risk": "any"}).text
    assert late.title in page


def test_the_list_with_risks_costs_the_same_queries_for_3_or_30_schemes(
    login, officer, make, django_assert_num_queries
):
    def fill(n):
        for _ in range(n):
            scheme = make()
            f.InspectionFactory(scheme=scheme, problems="Sạt lở")
            f.DisbursementFactory(contract=f.ContractFactory(scheme=scheme))

    client = login(officer)
    url = reverse("schemes:scheme_list")
    fill(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    fill(27)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.text.count("Có vướng mắc") >= 30
