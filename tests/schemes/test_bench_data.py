"""`generate_bench_data` fills the database with N× a province: counts follow the scale, one seed
gives the same rows, money and statuses agree with the records, and the demo is left alone."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.urls import reverse

from beneficiaries.models import Facility, SupportRequest
from khuyencong.models import AdministrativeUnit
from sampledata.bench import AS_OF, MERGER_DAY
from schemes.models import (
    Acceptance,
    Contract,
    Disbursement,
    Inspection,
    Plan,
    Scheme,
    SchemeBeneficiary,
)
from tests import factories as f

pytestmark = pytest.mark.django_db
SCALE = 0.1  # 200 facilities, 500 requests, 50 schemes: well under a second
IN_BENCH = Q(plan__unit__code__startswith="B")
IN_BENCH_ROWS = {
    AdministrativeUnit: Q(code__startswith="B"),
    Facility: Q(unit__code__startswith="B"),
    Scheme: IN_BENCH,
    Disbursement: Q(contract__scheme__plan__unit__code__startswith="B"),
}


def generate(scale=SCALE, seed=7):
    out = io.StringIO()
    call_command("generate_bench_data", "--scale", str(scale), "--seed", str(seed), stdout=out)
    return out.getvalue()


def bench_schemes():
    return Scheme.objects.filter(IN_BENCH)


def digest():
    """A hash of the rows' content (ids and paths left out: sequences move on between runs)."""
    rows = [
        AdministrativeUnit.objects.filter(code__startswith="B").values_list(
            "code", "name", "level", "parent__code", "successor__code", "valid_from", "valid_to"
        ),
        Facility.objects.filter(unit__code__startswith="B").values_list(
            "name", "unit__code", "kind", "tax_code", "phone", "address", "created_at"
        ),
        SupportRequest.objects.filter(facility__unit__code__startswith="B").values_list(
            "facility__tax_code", "facility__name", "year", "status", "support_requested",
            "created_at", "submitted_at",
        ),
        bench_schemes().values_list(
            "plan__year", "code", "title", "kind", "status", "unit__code", "budget", "start_date",
            "end_date", "approval_date",
        ),
        Contract.objects.filter(scheme__in=bench_schemes()).values_list(
            "scheme__plan__year", "number", "party_name", "value", "signed_on", "closed_on"
        ),
        Disbursement.objects.filter(contract__scheme__in=bench_schemes()).values_list(
            "contract__scheme__plan__year", "contract__number", "kind", "paid_on", "amount"
        ),
        Inspection.objects.filter(scheme__in=bench_schemes()).values_list(
            "scheme__plan__year", "scheme__code", "inspected_on", "progress_percent", "problems"
        ),
        Acceptance.objects.filter(scheme__in=bench_schemes()).values_list(
            "scheme__plan__year", "scheme__code", "held_on", "result", "accepted_amount"
        ),
    ]  # fmt: skip
    text = repr([sorted(map(repr, queryset)) for queryset in rows])
    return hashlib.sha256(text.encode()).hexdigest()


def test_counts_follow_the_scale_and_a_new_run_replaces_the_old():
    generate(scale=0.05)
    assert Facility.objects.count() == 100
    generate(scale=SCALE)
    assert Facility.objects.count() == 200
    assert SupportRequest.objects.count() == 500
    assert Scheme.objects.count() == 50
    assert AdministrativeUnit.objects.filter(level="district").count() == 1
    assert Plan.objects.count() <= 12
    assert set(Plan.objects.values_list("year", flat=True)) == set(range(2021, 2027))


def test_it_says_what_it_wrote_in_vietnamese():
    out = generate()
    assert "Đã tạo dữ liệu thử tải" in out
    assert "200 cơ sở CNNT" in out and "50 đề án" in out and "giây" in out


def test_the_same_seed_gives_the_same_rows():
    generate(seed=7)
    first = digest()
    generate(seed=7)
    assert digest() == first
    generate(seed=8)
    assert digest() != first


def test_no_payment_above_its_contract_and_no_allotment_above_the_budget():
    generate(scale=0.3)
    paid = Contract.objects.annotate(paid=Sum("disbursements__amount"))
    assert not paid.filter(paid__gt=F("value")).exists()
    advances = Disbursement.objects.filter(kind="advance")
    assert advances.exists()
    assert not advances.filter(amount__gt=F("contract__value") * 0.7).exists()
    allotted = bench_schemes().annotate(allotted=Sum("beneficiaries__support_amount"))
    assert not allotted.filter(allotted__gt=F("budget")).exists()
    amounts = bench_schemes().with_amounts()
    assert not amounts.filter(contracted__gt=F("budget")).exists()
    assert not amounts.filter(accepted_amount__gt=F("budget")).exists()
    assert not amounts.filter(status="settled", disbursed__gt=F("accepted_amount")).exists()
    for plan in Plan.objects.all():
        assert plan.allocated_total() <= plan.budget
    assert Scheme.objects.values_list("budget", flat=True)[0] % 1000 == 0  # whole thousands


def test_statuses_agree_with_the_records():
    generate(scale=0.3)
    schemes = bench_schemes()
    has_contract = Exists(Contract.objects.filter(scheme=OuterRef("pk")))
    passed = Exists(Acceptance.objects.filter(scheme=OuterRef("pk"), result="passed"))
    started = ["contracted", "in_progress", "awaiting_acceptance", "accepted", "settled"]
    assert not schemes.filter(status__in=started).exclude(has_contract).exists()
    assert not schemes.exclude(status__in=started).filter(has_contract).exists()
    assert not schemes.filter(status__in=["accepted", "settled"]).exclude(passed).exists()
    assert not schemes.exclude(status__in=["accepted", "settled"]).filter(passed).exists()
    assert not schemes.filter(status="settled", settled_on__isnull=True).exists()
    assert not schemes.filter(status="settled").exclude(contracts__closed_on__isnull=False).exists()
    requests = SupportRequest.objects.all()
    assert not requests.filter(status="included", scheme_link__isnull=True).exists()
    assert not requests.filter(scheme_link__isnull=False).exclude(status="included").exists()
    links = SchemeBeneficiary.objects.select_related("request", "scheme__plan")
    assert all(
        link.request.facility_id == link.facility_id and link.request.year == link.scheme.plan.year
        for link in links
    )
    assert not requests.filter(status="draft", submitted_at__isnull=False).exists()


def test_nothing_is_dated_after_the_data_s_today():
    generate(scale=0.3)
    for model, day in [
        (Disbursement, "paid_on"),
        (Inspection, "inspected_on"),
        (Acceptance, "held_on"),
        (Contract, "signed_on"),
        (Scheme, "approval_date"),
        (Scheme, "settled_on"),
    ]:
        assert not model.objects.filter(**{f"{day}__gt": AS_OF}).exists(), (model, day)
    assert not Facility.objects.filter(created_at__date__gt=AS_OF).exists()


def test_records_point_at_the_units_of_their_time():
    generate(scale=0.3)
    old, new = Q(valid_to__isnull=False), Q(valid_from__isnull=False)
    before, after = Q(created_at__date__lt=MERGER_DAY), Q(created_at__date__gte=MERGER_DAY)
    for queryset in (Facility.objects.all(), bench_schemes()):
        units = AdministrativeUnit.objects.filter(pk__in=queryset.filter(before).values("unit"))
        assert not units.filter(new).exists()
        units = AdministrativeUnit.objects.filter(pk__in=queryset.filter(after).values("unit"))
        assert units.exists() and not units.filter(old).exists()
    communes = AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=False)
    assert not communes.filter(successor__isnull=True).exists()
    successor_province = AdministrativeUnit.objects.get(code="B7T")
    assert not successor_province.children.filter(level="district").exists()
    assert AdministrativeUnit.objects.get(code="B7").successor == successor_province
    unit = communes.first()
    assert unit.path == f"{unit.parent.path}{unit.pk}/"


def test_the_risks_the_portal_watches_for_are_there():
    generate(scale=0.5)
    risky = Scheme.objects.with_risks(today=AS_OF)
    for key in ("overdue", "no_inspection", "problem"):
        assert risky.at_risk(key).exists(), key
    assert Inspection.objects.filter(problems__icontains="sạt lở").exists()


def test_the_pages_show_bench_rows(login, admin_user):
    """Lists and detail pages, including those of rows written without any history."""
    generate()
    client = login(admin_user)
    scheme = bench_schemes().filter(inspections__problems__gt="").first()
    urls = [
        reverse("schemes:scheme_list") + "?risk=overdue",
        reverse("schemes:scheme_detail", args=[scheme.pk]),
        reverse("plans:plan_detail", args=[scheme.plan_id]),
        reverse("beneficiaries:facility_list") + "?q=hop tac xa",
        reverse("beneficiaries:facility_detail", args=[Facility.objects.first().pk]),
        reverse("beneficiaries:request_list"),
        reverse("beneficiaries:request_detail", args=[SupportRequest.objects.first().pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_every_reference_holds():
    generate()
    with connection.cursor() as cursor:  # foreign keys are deferred: check them now
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_it_leaves_the_portal_s_own_province_alone(province):
    """Hà Giang (02) and its records, as seed_demo or real use leave them, survive two runs."""
    plan = f.PlanFactory(unit=province.province)
    scheme = f.SchemeFactory(plan=plan, unit=province.district)
    link = f.SchemeBeneficiaryFactory(scheme=scheme, facility__unit=province.commune)
    f.DisbursementFactory(contract__scheme=scheme, contract__beneficiary=link)
    before = {m: m.objects.count() for m in (AdministrativeUnit, Facility, Scheme, Disbursement)}
    generate()
    generate()
    for model, count in before.items():
        assert model.objects.exclude(IN_BENCH_ROWS[model]).count() == count, model
    assert Scheme.objects.with_risks().at_risk().count() >= 1


def test_it_refuses_a_scale_it_cannot_code():
    with pytest.raises(CommandError, match="scale"):
        generate(scale=0)
    with pytest.raises(CommandError, match="seed"):
        generate(seed=100_000)


def test_it_does_not_delete_a_user_placed_in_a_bench_unit(django_user_model):
    generate()
    unit = AdministrativeUnit.objects.get(code="B7")
    django_user_model.objects.create(username="bench", role="officer", unit=unit)
    with pytest.raises(CommandError, match="người dùng"):
        generate()
    assert AdministrativeUnit.objects.filter(code="B7").exists()
