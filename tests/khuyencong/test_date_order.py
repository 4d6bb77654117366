"""One order for a date with its time, everywhere: dd/mm/yyyy HH:MM."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Facility
from khuyencong.dates import format_datetime_vn
from tests import factories as f

ROOT = Path(settings.BASE_DIR)
# A time written before its date: a template's |date:"H:i d/m/Y" or strftime's "%H:%M %d/%m/%Y".
TIME_FIRST = re.compile(r"H:i\s+d/|%H:%M\s+%d")


def test_no_template_or_module_writes_the_time_before_the_date():
    found = []
    for folder in ("templates", "khuyencong", "beneficiaries", "schemes", "duties", "reports"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".html", ".txt"} and TIME_FIRST.search(path.read_text()):
                found.append(str(path.relative_to(ROOT)))
    assert found == []


def test_a_moment_reads_date_then_time_in_the_portals_zone():
    moment = datetime.datetime(2026, 12, 2, 5, 52, tzinfo=datetime.UTC)
    assert format_datetime_vn(moment) == "02/12/2026 12:52"
    assert format_datetime_vn(None) == ""


@pytest.mark.django_db
def test_the_history_of_a_facility_shows_date_then_time(login, district_user, province):
    facility = f.FacilityFactory(unit=province.commune)
    client = login(district_user)
    edit = reverse("beneficiaries:facility_edit", args=[facility.pk])
    form = client.get(edit).context["form"]
    values = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    values["unit"] = facility.unit_id
    values["sector"] = facility.sector_id
    client.post(edit, {**values, "workers": "77"})
    assert Facility.objects.get().workers == 77
    page = client.get(reverse("beneficiaries:facility_detail", args=[facility.pk])).content.decode()
    now = timezone.localtime()
    assert re.search(rf"{now:%d/%m/%Y} \d\d:\d\d", page)
    assert not re.search(r"\d\d:\d\d \d\d/\d\d/\d{4}", page)
