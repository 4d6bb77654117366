"""What the database keeps per scheme (SchemeTotals) equals what its rows say after any write:
the sums of payments recorded, changed, moved and deleted, a contract moved to another scheme,
acceptances passed, failed and removed, and two payments recorded at the same moment; the last
inspection and whether an acceptance passed."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from schemes.models import Acceptance, Disbursement, Scheme, SchemeTotals
from tests import factories as f

TR = 1_000_000


def stored(scheme):
    totals = SchemeTotals.objects.get(scheme=scheme)
    return totals.disbursed, totals.accepted


def summed(scheme):
    paid = Disbursement.objects.filter(contract__scheme=scheme).aggregate(s=Sum("amount"))["s"]
    passed = scheme.acceptances.filter(result="passed").aggregate(s=Sum("accepted_amount"))["s"]
    return paid or 0, passed or 0


@pytest.mark.django_db
def test_the_totals_follow_every_write(province):
    scheme, other = f.SchemeFactory(), f.SchemeFactory()
    assert stored(scheme) == (0, 0)
    contract = f.ContractFactory(scheme=scheme)
    first = f.DisbursementFactory(contract=contract, amount=40 * TR)
    f.DisbursementFactory(contract=contract, amount=25 * TR)
    assert stored(scheme) == (65 * TR, 0) == summed(scheme)

    first.amount = 30 * TR
    first.save()
    assert stored(scheme) == (55 * TR, 0)
    moved_to = f.ContractFactory(scheme=other)
    first.contract = moved_to
    first.save()
    assert (stored(scheme), stored(other)) == ((25 * TR, 0), (30 * TR, 0))
    Scheme.objects.filter(pk=scheme.pk).update(title="Đổi tên")  # a scheme's own edit
    moved_to.scheme = scheme
    moved_to.save()
    assert (stored(scheme), stored(other)) == ((55 * TR, 0), (0, 0))
    first.delete()
    assert stored(scheme) == (25 * TR, 0) == summed(scheme)

    failed = f.AcceptanceFactory(scheme=scheme, result="failed", accepted_amount=0)
    assert stored(scheme) == (25 * TR, 0)
    failed.result, failed.accepted_amount = "passed", 20 * TR
    failed.save()
    assert stored(scheme) == (25 * TR, 20 * TR) == summed(scheme)
    assert Scheme.objects.with_risks().get(pk=scheme.pk).risk_over_disbursed
    Acceptance.objects.filter(pk=failed.pk).update(accepted_amount=30 * TR)
    assert not Scheme.objects.with_risks().get(pk=scheme.pk).risk_over_disbursed
    failed.delete()
    assert stored(scheme) == (25 * TR, 0)


def last_inspection(scheme):
    totals = SchemeTotals.objects.get(scheme=scheme)
    return totals.has_passed_acceptance, totals.last_inspected_on, totals.last_problem


@pytest.mark.django_db
def test_the_last_inspection_and_a_passed_acceptance_follow_every_write(province):
    scheme, other = f.SchemeFactory(), f.SchemeFactory()
    assert last_inspection(scheme) == (False, None, "")
    may = f.InspectionFactory(scheme=scheme, inspected_on=date(2024, 5, 10), problems="Sạt lở")
    march = f.InspectionFactory(scheme=scheme, inspected_on=date(2024, 3, 1), problems="")
    assert last_inspection(scheme) == (False, date(2024, 5, 10), "Sạt lở")
    # Two on the same day: the later entry is the last, as the scheme page shows it.
    same_day = f.InspectionFactory(scheme=scheme, inspected_on=date(2024, 5, 10), problems="")
    assert last_inspection(scheme) == (False, date(2024, 5, 10), "")
    same_day.delete()
    march.inspected_on = date(2024, 6, 2)
    march.save()
    assert last_inspection(scheme) == (False, date(2024, 6, 2), "")
    march.scheme = other
    march.save()
    assert last_inspection(scheme) == (False, date(2024, 5, 10), "Sạt lở")
    assert last_inspection(other) == (False, date(2024, 6, 2), "")
    may.delete()
    assert last_inspection(scheme) == (False, None, "")

    failed = f.AcceptanceFactory(scheme=scheme, result="failed", accepted_amount=0)
    assert last_inspection(scheme)[0] is False
    Acceptance.objects.filter(pk=failed.pk).update(result="passed")
    assert last_inspection(scheme)[0] is True  # passed, even with nothing accepted
    failed.delete()
    assert last_inspection(scheme)[0] is False


@pytest.mark.django_db
def test_a_deleted_scheme_takes_its_totals_with_it(province):
    scheme = f.SchemeFactory(status="proposed", approval_number="", approval_date=None)
    scheme.delete()
    assert not SchemeTotals.objects.filter(scheme_id=scheme.pk).exists()


@pytest.mark.slow  # two connections, one waiting a second for the other
@pytest.mark.django_db(transaction=True)
def test_two_payments_recorded_at_once_are_both_counted(province):
    """The second payment is written while the first is not yet committed, waits for it, and
    its sum counts both. (The migration's lock before summing is what guarantees this in
    general: a statement that summed before the first commit would miss it.)"""
    contract = f.ContractFactory()
    first_written, second_sent = threading.Event(), threading.Event()
    errors = []

    def pay(amount, *, first):
        try:
            connection.ensure_connection()
            with transaction.atomic():
                if not first:
                    first_written.wait(timeout=10)
                    second_sent.set()
                Disbursement.objects.create(
                    contract=contract, kind="payment", paid_on="2022-06-01", amount=amount
                )
                if first:
                    first_written.set()
                    second_sent.wait(timeout=10)
                    time.sleep(1)  # the second is waiting in its INSERT by now
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=pay, args=(10 * TR,), kwargs={"first": True}),
        threading.Thread(target=pay, args=(7 * TR,), kwargs={"first": False}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert stored(contract.scheme) == (17 * TR, 0) == summed(contract.scheme)
