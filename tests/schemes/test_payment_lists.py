"""The contract and payment lists: each role's own scope, totals of all filtered rows, an
export of the same rows, and a query count that does not grow with the rows."""

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from khuyencong.models import User
from schemes.models import Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db
TR = 1_000_000


@pytest.fixture
def shared(province):
    """A provincial group scheme with a contract of a Bắc Quang facility, one of Đồng Văn, and a
    supplier's contract of the scheme itself; and a scheme of Đồng Văn alone."""
    scheme = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province, year=2024),
        unit=province.province,
        kind=Scheme.Kind.GROUP,
        code="KC-NHOM",
    )
    rows = {}
    for key, commune, value, paid in (
        ("own", province.commune, 120 * TR, 11 * TR),
        ("other", province.other_commune, 190 * TR, 17 * TR),
    ):
        link = f.SchemeBeneficiaryFactory(
            scheme=scheme, facility=f.FacilityFactory(unit=commune, name=f"HTX {key}")
        )
        contract = f.ContractFactory(
            scheme=scheme,
            beneficiary=link,
            party_name=f"HTX {key}",
            number=f"{key}/HĐ",
            value=value,
        )
        rows[key] = f.DisbursementFactory(contract=contract, amount=paid, document_number=key)
    supplier = f.ContractFactory(
        scheme=scheme, party_name='=HYPERLINK("x")', number="NCC/HĐ", value=40 * TR
    )
    f.DisbursementFactory(contract=supplier, amount=5 * TR, note="=1+1")
    alone = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.province, year=2023), unit=province.other_district
    )
    f.ContractFactory(scheme=alone, party_name="HTX riêng", number="DV/HĐ", value=7 * TR)
    return rows


def _sheet(response):
    assert response.status_code == 200
    return list(
        openpyxl.load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
    )


def _numbers(response):
    return {n for n in ("own/HĐ", "other/HĐ", "NCC/HĐ", "DV/HĐ") if n in response.content.decode()}


@pytest.mark.parametrize("list_name", ["contract_list", "disbursement_list"])
def test_each_role_sees_its_own_scope(
    login, shared, officer, manager, district_user, other_district_user, province, list_name
):
    commune_user = f.UserFactory(
        username="tanquang", role=User.Role.DISTRICT, unit=province.commune
    )
    url = reverse(f"schemes:{list_name}")
    everything = {"own/HĐ", "other/HĐ", "NCC/HĐ"} | (
        {"DV/HĐ"} if list_name == "contract_list" else set()
    )
    assert _numbers(login(officer).get(url)) == everything
    assert _numbers(login(manager).get(url)) == everything
    assert _numbers(login(district_user).get(url)) == {"own/HĐ", "NCC/HĐ"}
    assert _numbers(login(commune_user).get(url)) == {"own/HĐ", "NCC/HĐ"}
    assert _numbers(login(other_district_user).get(url)) == everything - {"own/HĐ"}


def test_contract_totals_and_export_are_the_filtered_rows(login, shared, district_user):
    client = login(district_user)
    page = client.get(reverse("schemes:contract_list"), {"year": 2024})
    text = page.content.decode()
    assert "Tổng cộng (2 dòng)" in text
    assert "160.000.000 đ" in text  # 120 + 40 million
    assert "16.000.000 đ" in text  # 11 + 5 million paid
    rows = _sheet(client.get(reverse("schemes:contract_export"), {"year": 2024}))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert {r[header.index("Số hợp đồng")] for r in body} == {"own/HĐ", "NCC/HĐ"}
    assert total[0] == "Tổng cộng (2 dòng)"
    assert total[header.index("Giá trị (đồng)")] == 160 * TR
    assert total[header.index("Đã giải ngân (đồng)")] == 16 * TR
    # A party named like a formula stays text.
    assert '\'=HYPERLINK("x")' in [r[header.index("Bên nhận hợp đồng")] for r in body]


def test_disbursement_totals_and_export_are_the_filtered_rows(login, shared, officer):
    client = login(officer)
    query = {"q": "own"}
    text = client.get(reverse("schemes:disbursement_list"), query).content.decode()
    assert "Tổng cộng (1 dòng)" in text and "11.000.000 đ" in text
    everything = client.get(reverse("schemes:disbursement_list")).content.decode()
    assert "Tổng cộng (3 dòng)" in everything and "33.000.000 đ" in everything
    rows = _sheet(client.get(reverse("schemes:disbursement_export")))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert len(body) == 3 and total[header.index("Số tiền (đồng)")] == 33 * TR
    assert "'=1+1" in [r[header.index("Ghi chú")] for r in body]


def test_bad_filters_get_the_page_not_an_error(login, shared, officer):
    response = login(officer).get(reverse("schemes:contract_list"), {"year": "abc", "unit": "x"})
    assert response.status_code == 200


@pytest.mark.parametrize("list_name", ["contract_list", "disbursement_list"])
def test_query_count_does_not_grow_with_the_rows(
    login, officer, province, django_assert_num_queries, list_name
):
    def add(n):
        for _ in range(n):
            contract = f.ContractFactory(scheme=f.SchemeFactory(unit=province.district), value=TR)
            f.DisbursementFactory(contract=contract, amount=TR)

    client = login(officer)
    url = reverse(f"schemes:{list_name}")
    add(1)
    client.get(url)  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add(4)
    with django_assert_num_queries(len(one)):
        assert client.get(url).status_code == 200
