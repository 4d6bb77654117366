"""Scope inside a record: a district that follows a provincial group scheme through one of its
facilities (a partner) sees the scheme-level facts and his own beneficiaries in full; of the
other districts' beneficiaries, one aggregate line, and their records answer 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schemes.models import Contract, Disbursement, Scheme, SchemeBeneficiary, SchemeDocument
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(province):
    """A provincial group scheme with a facility of Bắc Quang (the partner's), one of Đồng Văn,
    and a supplier's contract of the scheme itself."""
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province),
        unit=province.province,
        kind=Scheme.Kind.GROUP,
        title="Đề án nhóm chè và lanh",
        budget=900_000_000,
    )
    rows = {"scheme": scheme}
    for key, commune, name, value, paid in (
        ("own", province.commune, "HTX chè Tân Quang", 120_000_000, 11_000_000),
        ("other", province.other_commune, "HTX dệt lanh Lũng Cú", 190_000_000, 17_000_000),
    ):
        link = f.SchemeBeneficiaryFactory(
            scheme=scheme,
            facility=f.FacilityFactory(unit=commune, name=name),
            support_amount=value + 3_000_000,
        )
        contract = f.ContractFactory(
            scheme=scheme, beneficiary=link, party_name=name, number=f"{key}/HĐ", value=value
        )
        rows[key] = link
        rows[f"{key}_contract"] = contract
        rows[f"{key}_payment"] = f.DisbursementFactory(contract=contract, amount=paid)
        rows[f"{key}_document"] = f.SchemeDocumentFactory(
            scheme=scheme, beneficiary=link, title=f"Hồ sơ riêng {key}"
        )
    supplier = f.ContractFactory(
        scheme=scheme, party_name="Công ty máy Thái Nguyên", number="NCC/HĐ", value=40_000_000
    )
    rows["supplier_contract"] = supplier
    rows["supplier_payment"] = f.DisbursementFactory(contract=supplier, amount=5_000_000)
    rows["scheme_document"] = f.SchemeDocumentFactory(scheme=scheme, title="Quyết định giao")
    return rows


def _page(client, scheme):
    response = client.get(reverse("schemes:scheme_detail", args=[scheme.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_partner_sees_his_beneficiaries_and_the_scheme_level_records(
    login, district_user, shared
):
    page = _page(login(district_user), shared["scheme"])
    for mark in (
        "HTX chè Tân Quang",
        "own/HĐ",
        "11.000.000 đ",
        "Hồ sơ riêng own",
        "NCC/HĐ",  # the supplier's contract is the scheme's own
        "5.000.000 đ",
        "Quyết định giao",
        "350.000.000 đ",  # the scheme's totals are all its contracts' and payments'
        "33.000.000 đ",
        "HTX chè Tân Quang: hỗ trợ 123.000.000 đ",  # the timeline tells of his beneficiary
    ):
        assert mark in page, mark
    assert reverse("beneficiaries:facility_detail", args=[shared["own"].facility_id]) in page


def test_a_partner_does_not_see_other_districts_beneficiaries(login, district_user, shared):
    page = _page(login(district_user), shared["scheme"])
    for mark in (
        "HTX dệt lanh Lũng Cú",
        "other/HĐ",
        "190.000.000 đ",
        "17.000.000 đ",
        "Hồ sơ riêng other",
        reverse("beneficiaries:facility_detail", args=[shared["other"].facility_id]),
        reverse("schemes:document_download", args=[shared["other_document"].pk]),
    ):
        assert mark not in page, mark
    # One line for them: how many, and their support, no names.
    assert "1 cơ sở ở địa bàn khác" in page
    assert "193.000.000 đ" in page


def test_other_districts_records_answer_404_to_a_partner(login, district_user, shared):
    client = login(district_user)
    other, own = shared["other"], shared["own"]
    assert client.get(_url("document_download", shared["other_document"])).status_code == 404
    assert client.get(_url("document_download", shared["own_document"])).status_code == 200
    assert client.get(_url("document_download", shared["scheme_document"])).status_code == 200
    for name in ("beneficiary_update", "beneficiary_delete", "beneficiary_declare"):
        assert client.post(_url(name, other), {"support_amount": "1"}).status_code == 404, name
        # His own are found; only the province's officers change them.
        assert client.post(_url(name, own), {"support_amount": "1"}).status_code == 403, name
    assert client.post(_url("document_delete", shared["other_document"])).status_code == 404
    assert SchemeBeneficiary.objects.filter(pk=other.pk).exists()
    assert SchemeDocument.objects.filter(pk=shared["other_document"].pk).exists()


def test_the_querysets_keep_a_partner_to_his_own_and_the_schemes(district_user, shared):
    def visible(model):
        return set(model.objects.visible_to(district_user).values_list("pk", flat=True))

    assert visible(SchemeBeneficiary) == {shared["own"].pk}
    assert visible(Contract) == {shared["own_contract"].pk, shared["supplier_contract"].pk}
    assert visible(Disbursement) == {shared["own_payment"].pk, shared["supplier_payment"].pk}
    assert visible(SchemeDocument) == {shared["own_document"].pk, shared["scheme_document"].pk}


def test_the_other_district_sees_the_mirror(login, other_district_user, shared):
    page = _page(login(other_district_user), shared["scheme"])
    assert "HTX dệt lanh Lũng Cú" in page
    assert "HTX chè Tân Quang" not in page and "own/HĐ" not in page


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_the_province_sees_every_beneficiary(request, login, shared, role):
    page = _page(login(request.getfixturevalue(role)), shared["scheme"])
    for mark in ("HTX chè Tân Quang", "HTX dệt lanh Lũng Cú", "own/HĐ", "other/HĐ", "17.000.000 đ"):
        assert mark in page, mark
    assert "địa bàn khác" not in page


def test_a_partner_of_a_district_scheme_is_not_one(login, district_user, province):
    """A scheme placed in his district: he sees everything on it, as before."""
    scheme = f.SchemeFactory(plan=f.PlanFactory(unit=province.province), unit=province.district)
    link = f.SchemeBeneficiaryFactory(
        scheme=scheme, facility=f.FacilityFactory(unit=province.other_commune, name="HTX Lũng Cú")
    )
    f.ContractFactory(scheme=scheme, beneficiary=link, number="xa/HĐ")
    page = _page(login(district_user), scheme)
    assert "HTX Lũng Cú" in page and "xa/HĐ" in page


@pytest.mark.parametrize("role", ["district_user", "officer"])
def test_the_scheme_page_query_count_does_not_grow_with_beneficiaries(
    request, login, province, shared, role, django_assert_num_queries
):
    client = login(request.getfixturevalue(role))
    scheme = shared["scheme"]
    _page(client, scheme)  # warm: the session and the caches
    with CaptureQueriesContext(connection) as few:
        _page(client, scheme)
    for commune in (province.commune, province.other_commune) * 3:
        link = f.SchemeBeneficiaryFactory(
            scheme=scheme, facility=f.FacilityFactory(unit=commune), support_amount=1_000_000
        )
        contract = f.ContractFactory(scheme=scheme, beneficiary=link)
        f.DisbursementFactory(contract=contract)
        f.SchemeDocumentFactory(scheme=scheme, beneficiary=link, kind=None)
    with django_assert_num_queries(len(few.captured_queries)):
        _page(client, scheme)


def _url(name, obj):
    return reverse(f"schemes:{name}", args=[obj.pk])
