"""`seed_demo` loads Hà Giang 2022 and can be run again without changing anything."""

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
    assert first["Scheme"] == 15 and first["Plan"] == 3  # 2022 national, local; 2023 draft


@pytest.mark.slow
def test_it_holds_the_articles_figures(demo_module):
    province = AdministrativeUnit.objects.get(code="02")
    figures = progress_figures(unit=province, year=2022)
    by_name = {row.name: row for row in figures.sources}
    assert by_name["Khuyến công quốc gia"].plan_budget == 1_200_000_000
    assert by_name["Khuyến công địa phương"].allocated == 1_630_000_000
    assert Scheme.objects.filter(plan__funding_source__code="KCQG", kind="group").count() == 2
    assert Scheme.objects.filter(status="accepted").count() == 5
    assert Inspection.objects.filter(problems__icontains="sạt lở").exists()
    assert User.objects.filter(username="bacquang", unit__code="034").exists()
    assert AdministrativeUnit.objects.filter(code="01141", successor__name="Xã Bắc Quang").exists()


def test_it_refuses_demo_logins_when_debug_is_off():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
