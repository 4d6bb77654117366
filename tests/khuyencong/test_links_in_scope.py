"""A user is shown only what he may open: on every page he reaches, each link answers him 200.
A facility, request or document of another district that a page names (a beneficiary of a
scheme of his, a group scheme's other partner) is named as text, without a link."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from beneficiaries.models import SupportRequest
from schemes.models import Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#][^"]*)"')


def links(page, base):
    """The page's own links (no anchors, static files or other sites), as paths."""
    found = set()
    for href in HREF.findall(page):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc or parts.path.startswith("/static/"):
            continue
        found.add(url)
    return found


def crawl(client, start, depth=2):
    """GET start and the pages it links, `depth` links deep; {url: status}, and the pages."""
    seen, pages, todo = {}, {}, [(start, 0)]
    while todo:
        url, level = todo.pop()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.streaming:
            b"".join(response.streaming_content)
            continue
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            pages[url] = response.content.decode()
            if level < depth:
                todo += [(link, level + 1) for link in links(pages[url], url)]
    return seen, pages


@pytest.fixture
def two_districts(province):
    """A provincial group scheme with a facility (and its request, its documents) of Bắc Quang
    and one of Đồng Văn; and a scheme of Bắc Quang's own, one of whose beneficiaries has since
    moved to Đồng Văn (a facility's district is where it is now)."""
    plan = f.PlanFactory(unit=province.province, year=2027, title="Kế hoạch khuyến công 2027")
    group = f.SchemeFactory(
        plan=plan, unit=province.province, kind=Scheme.Kind.GROUP, code="ĐP-2027-01"
    )
    rows = {"group": group}
    for key, commune in (("own", province.commune), ("other", province.other_commune)):
        facility = f.FacilityFactory(unit=commune, name=f"HTX {key}")
        request = f.SupportRequestFactory(
            facility=facility, year=2027, status=SupportRequest.Status.INCLUDED
        )
        link = f.SchemeBeneficiaryFactory(scheme=group, facility=facility, request=request)
        f.SchemeDocumentFactory(scheme=group, beneficiary=link, title=f"Hồ sơ riêng {key}")
        f.ContractFactory(scheme=group, beneficiary=link, party_name=facility.name)
        rows[key] = facility
        rows[f"{key}_request"] = request
    local = f.SchemeFactory(
        plan=f.PlanFactory(unit=province.district, year=2027, title="Kế hoạch huyện 2027"),
        unit=province.district,
        code="BQ-2027-01",
    )
    moved = f.FacilityFactory(unit=province.other_commune, name="HTX đã chuyển địa bàn")
    moved_request = f.SupportRequestFactory(
        facility=moved, year=2027, status=SupportRequest.Status.INCLUDED
    )
    link = f.SchemeBeneficiaryFactory(scheme=local, facility=moved, request=moved_request)
    f.SchemeDocumentFactory(scheme=local, beneficiary=link, title="Hồ sơ cơ sở đã chuyển")
    rows.update(local=local, moved=moved, moved_request=moved_request)
    return rows


def _hrefs_to(record_urls, page):
    return [url for url in record_urls if f'href="{url}"' in page]


def test_a_district_sees_no_link_to_another_districts_records_on_a_group_scheme(
    login, district_user, two_districts
):
    client = login(district_user)
    w = two_districts
    for scheme in (w["group"], w["local"]):
        page = client.get(reverse("schemes:scheme_detail", args=[scheme.pk])).content.decode()
        foreign = [
            reverse("beneficiaries:facility_detail", args=[w[key].pk]) for key in ("other", "moved")
        ] + [
            reverse("beneficiaries:request_detail", args=[w[key].pk])
            for key in ("other_request", "moved_request")
        ]
        assert _hrefs_to(foreign, page) == [], scheme.code
        assert "Hồ sơ riêng other" not in page
    own = reverse("beneficiaries:facility_detail", args=[w["own"].pk])
    group_page = client.get(reverse("schemes:scheme_detail", args=[w["group"].pk]))
    assert f'href="{own}"' in group_page.content.decode()
    # The moved facility is still named on its scheme, as text.
    local_page = client.get(reverse("schemes:scheme_detail", args=[w["local"].pk]))
    assert "HTX đã chuyển địa bàn" in local_page.content.decode()


@pytest.mark.parametrize(
    "start",
    [
        lambda w: reverse("schemes:scheme_detail", args=[w["group"].pk]),
        lambda w: reverse("schemes:scheme_detail", args=[w["local"].pk]),
        lambda w: reverse("dashboard"),
        lambda w: reverse("beneficiaries:facility_detail", args=[w["own"].pk]),
        lambda w: reverse("beneficiaries:request_list"),
        lambda w: reverse("schemes:scheme_list"),
    ],
    ids=["group-scheme", "local-scheme", "dashboard", "facility", "requests", "schemes"],
)
def test_every_link_a_district_is_shown_opens_for_him(login, district_user, two_districts, start):
    seen, _pages = crawl(login(district_user), start(two_districts), depth=2)
    refused = {url: status for url, status in seen.items() if status != 200}
    assert refused == {}
    assert len(seen) > 3


@pytest.mark.parametrize("who", ["other_district", "commune", "officer"])
def test_every_link_on_the_scheme_pages_opens_for_each_user(login, province, two_districts, who):
    from khuyencong.models import User

    unit = {
        "other_district": province.other_district,
        "commune": province.commune,
        "officer": province.province,
    }[who]
    role = User.Role.OFFICER if who == "officer" else User.Role.DISTRICT
    client = login(f.UserFactory(username=who, role=role, unit=unit))
    for scheme in (two_districts["group"], two_districts["local"]):
        url = reverse("schemes:scheme_detail", args=[scheme.pk])
        if client.get(url).status_code == 404:  # not his scheme at all (the commune's own)
            continue
        seen, _pages = crawl(client, url, depth=2)
        assert {u: s for u, s in seen.items() if s != 200} == {}, scheme.code
