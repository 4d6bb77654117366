"""Inspection photos: shown in the page as thumbnails, served inline under their uploaded name
within the user's scope, their thumbnails made by the worker; a scheme's dossier sent in one go."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sampledata.demo import DEMO_PDF
from schemes import tasks
from schemes.models import SchemeDocument
from tests import factories as f
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db


def _jpeg(width=1200, height=800, orientation=None):
    image = Image.new("RGB", (width, height), (30, 120, 60))
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation  # Orientation: 6 = the camera was turned a quarter
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def scheme(province):
    return f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.district,
        status="in_progress",
        approval_number="12/QĐ-SCT",
        approval_date=datetime.date(2022, 3, 1),
    )


def _inspect(client, scheme, *names, orientation=None):
    data = {
        "inspected_on": "14/09/2022",
        "inspectors": "Trung tâm Khuyến công",
        "progress_percent": "45",
        "photos": [SimpleUploadedFile(n, _jpeg(orientation=orientation)) for n in names],
    }
    client.post(reverse("schemes:inspection_add", args=[scheme.pk]), data)
    return list(SchemeDocument.objects.filter(inspection__scheme=scheme).order_by("pk"))


def test_a_photo_is_served_inline_under_its_uploaded_name(login, officer, scheme):
    client = login(officer)
    (photo,) = _inspect(client, scheme, "anh-xuong.jpg")
    response = client.get(reverse("schemes:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="anh-xuong.jpg"'


def test_a_vietnamese_name_is_given_as_rfc_5987(login, officer, scheme):
    client = login(officer)
    (photo,) = _inspect(client, scheme, "ảnh xưởng.jpg")
    disposition = client.get(reverse("schemes:photo", args=[photo.pk]))["Content-Disposition"]
    assert disposition == "inline; filename*=utf-8''%E1%BA%A3nh%20x%C6%B0%E1%BB%9Fng.jpg"


def test_a_photo_out_of_scope_is_404_and_a_dossier_file_is_no_photo(
    login, officer, other_district_user, scheme
):
    (photo,) = _inspect(login(officer), scheme, "anh.jpg")
    assert (
        login(other_district_user).get(reverse("schemes:photo", args=[photo.pk])).status_code == 404
    )
    url = reverse("schemes:photo_thumbnail", args=[photo.pk])
    assert login(other_district_user).get(url).status_code == 404
    document = f.SchemeDocumentFactory(scheme=scheme, title="Quyết định")
    assert login(officer).get(reverse("schemes:photo", args=[document.pk])).status_code == 404


def test_the_task_makes_a_small_upright_thumbnail_once(login, officer, scheme):
    (photo,) = _inspect(login(officer), scheme, "anh.jpg", orientation=6)
    assert not photo.thumbnail  # the request only asked for it
    name = tasks.make_thumbnail(photo.pk)
    photo.refresh_from_db()
    assert name and photo.thumbnail.name == name and name.endswith(".thumb.jpg")
    with photo.thumbnail.open("rb") as handle, Image.open(handle) as small:
        assert small.format == "JPEG" and small.size == (213, 320)  # 1200×800 stood up
    assert tasks.make_thumbnail(photo.pk) is None  # done already: nothing made again
    assert photo.history.count() == 1  # the thumbnail is no change of the record


def test_the_inspection_asks_the_worker_for_thumbnails_once_committed(
    login, officer, scheme, django_capture_on_commit_callbacks
):
    from khuyencong.celery import app

    client = login(officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        found = _inspect(client, scheme, "a.jpg", "b.jpg")
    assert not any(p.thumbnail for p in found)  # nothing asked before the commit
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    try:
        for callback in callbacks:
            callback()
    finally:
        app.conf.update(task_always_eager=False, task_eager_propagates=False)
    assert all(SchemeDocument.objects.get(pk=p.pk).thumbnail for p in found)


def test_the_page_shows_thumbnails_and_the_photo_until_the_thumbnail_exists(login, officer, scheme):
    client = login(officer)
    first, second = _inspect(client, scheme, "mot.jpg", "hai.jpg")
    tasks.make_thumbnail(first.pk)
    page = client.get(reverse("schemes:scheme_detail", args=[scheme.pk])).text
    assert f'src="{reverse("schemes:photo_thumbnail", args=[first.pk])}"' in page
    assert f'src="{reverse("schemes:photo", args=[second.pk])}"' in page
    assert 'data-photo="mot.jpg"' in page and 'alt="Ảnh 2: hai.jpg"' in page
    small = client.get(reverse("schemes:photo_thumbnail", args=[first.pk]))
    assert small["Content-Type"] == "image/jpeg"
    assert small["Content-Disposition"] == "inline; filename*=utf-8''mot%20%28nh%E1%BB%8F%29.jpg"


def test_the_photos_cost_no_query_each(login, officer, scheme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(officer)
    _inspect(client, scheme, "a.jpg")
    url = reverse("schemes:scheme_detail", args=[scheme.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _inspect(client, scheme, "b.jpg", "c.jpg", "d.jpg")
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(one)


@pytest.mark.slow
def test_a_real_worker_makes_the_thumbnail(celery_worker, province, officer, client):
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.district,
        status="in_progress",
        approval_number="12/QĐ-SCT",
        approval_date=datetime.date(2022, 3, 1),
    )
    client.force_login(officer)
    (photo,) = _inspect(client, scheme, "anh.jpg")
    wait_for(lambda: SchemeDocument.objects.get(pk=photo.pk).thumbnail)
    photo.refresh_from_db()
    assert (Path(settings.MEDIA_ROOT) / photo.thumbnail.name).is_file()


def test_a_schemes_dossier_is_sent_in_one_go_all_or_none(login, officer, scheme):
    kinds = [kind for kind, _ in scheme.dossier_checklist()]
    client = login(officer)
    url = reverse("schemes:dossier_upload", args=[scheme.pk])
    pdf = lambda name: SimpleUploadedFile(name, DEMO_PDF)  # noqa: E731
    broken = {"files": [pdf("a.pdf"), SimpleUploadedFile("b.pdf", b"x" * 20)], "kind": ["", ""]}
    client.post(url, broken)
    assert not scheme.documents.exists()
    chosen = [kinds[0].pk if kinds else "", "", ""]
    client.post(url, {"files": [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")], "kind": chosen})
    assert sorted(scheme.documents.values_list("original_name", flat=True)) == [
        "a.pdf",
        "b.pdf",
        "c.pdf",
    ]
    page = client.get(reverse("schemes:scheme_detail", args=[scheme.pk])).text
    assert "Đã tải lên 3 tệp" in page
