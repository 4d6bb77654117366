"""`seed_demo` loads Hà Giang 2022 and Tuyên Quang today, and can be run again without changing
anything."""

import io

import pytest
from django.core.management import CommandError, call_command

from beneficiaries.models import Facility, SupportRequest
from khuyencong.models import AdministrativeUnit, User
from reports.figures import progress_figures
from schemes.models import Acceptance, Contract, Disbursement, Inspection, Plan, Scheme

pytestmark = pytest.mark.django_db
MODELS = [
    AdministrativeUnit,
    User,
    Facility,
    SupportRequest,
    Plan,
    Scheme,
    Contract,
    Disbursement,
    Inspection,
    Acceptance,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.slow  # the demo province: seconds
def test_running_it_again_leaves_the_same_counts(demo_module, settings):
    first = counts()  # the first run was the module's, on a database without the demo
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    by_year = {year: Scheme.objects.filter(plan__year=year).count() for year in (2022, 2026)}
    assert by_year == {2022: 15, 2026: 8}
    # 2022 national, local, 2023 draft; 2026 national, local, 2027 draft
    assert first["Plan"] == 6


@pytest.mark.slow
def test_it_holds_the_articles_figures(demo_module):
    province = AdministrativeUnit.objects.get(code="02")
    figures = progress_figures(unit=province, year=2022)
    by_name = {row.name: row for row in figures.sources}
    assert by_name["Khuyến công quốc gia"].plan_budget == 1_200_000_000
    assert by_name["Khuyến công địa phương"].allocated == 1_630_000_000
    of_2022 = Scheme.objects.filter(plan__year=2022)
    assert of_2022.filter(plan__funding_source__code="KCQG", kind="group").count() == 2
    assert of_2022.filter(status="accepted").count() == 5
    assert Inspection.objects.filter(problems__icontains="sạt lở").exists()
    assert User.objects.filter(username="bacquang", unit__code="034").exists()
    assert AdministrativeUnit.objects.filter(code="01141", successor__name="Xã Bắc Quang").exists()


def test_it_refuses_demo_logins_when_debug_is_off():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


@pytest.mark.slow
def test_today_is_tuyen_quangs(demo_module):
    """The province after the reform: its officer sees the former Hà Giang's history, each
    commune login the facilities of the communes it took over, and 2026 is at work."""
    today = AdministrativeUnit.objects.portal_province()
    assert today.name == "Tỉnh Tuyên Quang"
    officer = User.objects.get(username="officer")
    assert officer.unit == today
    assert Scheme.objects.visible_to(officer).filter(plan__year=2022).count() == 15
    xameovac = User.objects.get(username="xameovac")
    assert xameovac.unit.name == "Xã Mèo Vạc" and xameovac.unit.valid_to is None
    former = AdministrativeUnit.objects.filter(successor=xameovac.unit)
    assert former.count() == 2
    # Their facilities were moved to it; their 2022 records keep the communes of their day,
    # and it sees those too.
    moved = Facility.objects.visible_to(xameovac).filter(unit=xameovac.unit, name__contains="Pả Vi")
    assert moved.count() == 1
    past = SupportRequest.objects.visible_to(xameovac).filter(year=2022)
    assert past.exists()
    assert set(past.values_list("scope_unit", flat=True)) <= set(
        former.values_list("pk", flat=True)
    )
    of_2026 = Scheme.objects.filter(plan__year=2026)
    assert of_2026.filter(status="accepted", acceptances__isnull=False).exists()
    assert Inspection.objects.filter(scheme__plan__year=2026, problems__icontains="lũ").exists()
    assert SupportRequest.objects.filter(year=2027).count() == 6
