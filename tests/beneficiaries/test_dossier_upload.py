"""A request's dossier sent in one go: several files, each with its kind, stored all or none;
the uploads and removals in the request's history."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.models import Document, DocumentKind
from khuyencong.text import search_key
from sampledata.demo import DEMO_PDF
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(province):
    return f.SupportRequestFactory(facility=f.FacilityFactory(unit=province.commune), dossier=False)


def _kinds(req):
    return list(DocumentKind.objects.required_for(req.activity_type))


def _send(client, req, files, kinds=None, token="", **headers):
    data = {"files": files, "form_token": token}
    if kinds is not None:
        data["kind"] = kinds
    url = reverse("beneficiaries:request_dossier_upload", args=[req.pk])
    return client.post(url, data, **headers)


def _pdf(name):
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _stored_files():
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def _page(client, req):
    return client.get(reverse("beneficiaries:request_detail", args=[req.pk])).content.decode()


def test_three_files_are_stored_at_once_each_with_its_kind(login, district_user, draft):
    kinds = _kinds(draft)
    assert len(kinds) >= 2
    client = login(district_user)
    files = [_pdf("don-de-nghi.pdf"), _pdf("bao-gia.pdf"), _pdf("ảnh xưởng.pdf")]
    response = _send(client, draft, files, [kinds[0].pk, kinds[1].pk, ""])
    assert response.status_code == 302 and response.url.endswith("#ho-so")
    documents = {d.original_name: d for d in draft.documents.all()}
    assert set(documents) == {"don-de-nghi.pdf", "bao-gia.pdf", "ảnh xưởng.pdf"}
    assert documents["don-de-nghi.pdf"].kind == kinds[0]
    assert (
        documents["bao-gia.pdf"].kind == kinds[1]
        and documents["bao-gia.pdf"].title == kinds[1].name
    )
    assert documents["ảnh xưởng.pdf"].kind is None
    page = _page(client, draft)
    assert "Đã tải lên 3 tệp" in page
    assert f"{kinds[0].name} — don-de-nghi.pdf" in page and "Tài liệu khác — ảnh xưởng.pdf" in page


def test_one_refused_file_refuses_them_all_and_names_it(login, district_user, draft):
    kinds = _kinds(draft)
    before = _stored_files()
    files = [_pdf("a.pdf"), SimpleUploadedFile("hong.pdf", b"not a pdf at all"), _pdf("c.pdf")]
    client = login(district_user)
    _send(client, draft, files, [kinds[0].pk, kinds[1].pk, ""])
    assert not Document.objects.exists()
    page = _page(client, draft)
    assert "Không tệp nào được lưu" in page and "hong.pdf" in page
    assert _stored_files() == before  # no file stored on disk without its row


def test_without_scripts_each_file_gets_its_guessed_or_next_missing_kind(
    login, district_user, draft
):
    kinds = _kinds(draft)
    # The second kind's name as a file name: guessed; the other file takes the first missing.
    named = search_key(kinds[1].name).replace(" ", "-") + ".pdf"
    _send(login(district_user), draft, [_pdf("scan-001.pdf"), _pdf(named)])
    stored = {d.original_name: d.kind for d in draft.documents.all()}
    assert stored == {named: kinds[1], "scan-001.pdf": kinds[0]}


def test_the_same_form_sent_twice_stores_its_files_once(login, district_user, draft):
    client = login(district_user)
    token = "0f4a3c2e-1111-4222-8333-944455556666"
    _send(client, draft, [_pdf("a.pdf"), _pdf("b.pdf")], token=token)
    _send(client, draft, [_pdf("a.pdf"), _pdf("b.pdf")], token=token)
    assert draft.documents.count() == 2
    assert "đã được tải lên rồi" in _page(client, draft)


def test_the_script_is_answered_with_where_to_go(login, district_user, draft):
    response = _send(
        login(district_user), draft, [_pdf("a.pdf")], HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 204
    assert response["X-Location"].endswith(f"/{draft.pk}/#ho-so")


def test_nothing_chosen_or_an_unknown_kind_is_explained(login, district_user, draft):
    client = login(district_user)
    _send(client, draft, [])
    assert "Chưa chọn tệp nào" in _page(client, draft)
    _send(client, draft, [_pdf("a.pdf")], [999999])
    assert "không thuộc hồ sơ này" in _page(client, draft)
    assert not Document.objects.exists()


def test_another_districts_user_gets_404(login, other_district_user, draft):
    response = _send(login(other_district_user), draft, [_pdf("a.pdf")])
    assert response.status_code == 404 and not Document.objects.exists()


def test_a_removed_document_is_in_the_history(login, district_user, draft):
    kinds = _kinds(draft)
    client = login(district_user)
    _send(client, draft, [_pdf("bao-gia-may.pdf")], [kinds[0].pk])
    document = draft.documents.get()
    client.post(reverse("beneficiaries:document_delete", args=[document.pk]))
    page = _page(client, draft)
    assert "Xóa khỏi hồ sơ" in page and "Tải lên hồ sơ" in page
    assert page.count(f"{kinds[0].name} — bao-gia-may.pdf") >= 2


def test_the_history_costs_the_same_queries_for_more_documents(login, district_user, draft):
    client = login(district_user)
    _send(client, draft, [_pdf("a.pdf")], [""])
    with CaptureQueriesContext(connection) as one:
        _page(client, draft)
    _send(client, draft, [_pdf(f"{n}.pdf") for n in range(4)], [""] * 4)
    with CaptureQueriesContext(connection) as five:
        page = _page(client, draft)
    assert page.count("Tải lên hồ sơ</td>") == 5
    assert len(five) == len(one)
