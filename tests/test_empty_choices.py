"""Every select of the portal offers one empty choice, in Vietnamese: no Django "---------"
beside a "— Chọn … —". Every page of the permission matrix that some role gets is rendered (as
the first role that gets it: forms, filters and pickers alike) and read."""

import pytest

# The matrix's world and its media folder, as fixtures of this module too.
from tests.test_permissions import MATRIX, ROLES, _url, media_root, world  # noqa: F401

pytestmark = pytest.mark.django_db

PAGES = [
    pytest.param(name, row, id=name)
    for name, rows in MATRIX.items()
    if not name.startswith("admin:")
    for row in (rows if isinstance(rows, list) else [rows])
    if 200 in row.get[1:]
]


@pytest.mark.parametrize("name, row", PAGES)
def test_no_page_offers_djangos_dashes(world, name, row):  # noqa: F811
    role = ROLES[row.get.index(200, 1)]
    response = world.client(role).get(_url(world, name, row))
    assert response.status_code == 200
    if response.get("Content-Type", "").startswith("text/html"):
        assert "---------" not in response.content.decode(), name


def test_the_pages_read_include_the_forms_and_lists():
    names = {p.values[0] for p in PAGES}
    assert {"beneficiaries:facility_create", "beneficiaries:facility_list"} <= names
    assert {"schemes:scheme_create", "beneficiaries:request_create"} <= names


def test_a_filter_offers_no_none_choice_it_did_not_ask_for(world):  # noqa: F811
    page = world.client("officer").get("/facilities/").content.decode()
    assert "Không có</option>" not in page and '<option value="null">' not in page
