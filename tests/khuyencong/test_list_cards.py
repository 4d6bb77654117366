"""The markup a phone's layout reads (issue 22): every cell of a list says its column in
`data-label` (a phone shows each row as a card of "label: value"), one cell per row is the
card's title, and a list's filters come folded unless the address asks for one."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from beneficiaries.services import request_transition
from tests import factories as f

pytestmark = pytest.mark.django_db


class Tables(HTMLParser):
    """The tables of a page: for each, its header texts and, per body row, its cells' attributes."""

    def __init__(self):
        super().__init__()
        self.tables, self.part, self.cell, self.text = [], None, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"heads": [], "rows": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self.part = tag
        elif tag == "tr" and self.part == "tbody":
            self.tables[-1]["rows"].append([])
        elif tag == "th" and self.part == "thead":
            self.cell, self.text = "th", []
        elif tag == "td" and self.part == "tbody":
            self.tables[-1]["rows"][-1].append(attrs)

    def handle_endtag(self, tag):
        if tag == "th" and self.cell == "th":
            self.tables[-1]["heads"].append(" ".join("".join(self.text).replace("▲", "").split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell == "th":
            self.text.append(data)


def tables(response):
    assert response.status_code == 200
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables


def assert_cards(response, titled=True):
    found = [t for t in tables(response) if t["rows"]]
    assert found, "no list on the page"
    for table in found:
        heads = [h for h in table["heads"] if h]
        for cells in table["rows"]:
            if any("colspan" in c for c in cells):
                continue  # "nothing here", or a line that spans its columns
            labels = [c["data-label"] for c in cells if c.get("data-label")]
            if labels[:1] == ["Chọn"] and heads[:1] != ["Chọn"]:
                labels = labels[1:]  # the ticks' column, headed by a "select all" box
            assert labels == heads, (labels, heads)
        if titled:
            rows = [c for c in table["rows"] if not any("colspan" in x for x in c)]
            assert all(sum("data-main" in c for c in cells) == 1 for cells in rows), heads


@pytest.fixture
def records(province, district_user):
    facility = f.FacilityFactory(unit=province.commune)
    req = f.SupportRequestFactory(facility=facility)
    request_transition(request_id=req.pk, name="submit", user=district_user)
    plan = f.PlanFactory(unit=province.province)
    scheme = f.SchemeFactory(plan=plan, unit=province.district)
    f.SchemeItemFactory(scheme=scheme)
    f.SchemeBeneficiaryFactory(scheme=scheme, facility=facility)
    contract = f.ContractFactory(scheme=scheme)
    f.DisbursementFactory(contract=contract)
    f.InspectionFactory(scheme=scheme)
    f.AcceptanceFactory(scheme=scheme)
    f.QuarterlyReportFactory(unit=province.province)
    return facility, req, plan, scheme


def test_every_list_cell_says_its_column_and_each_row_has_a_title(login, officer, records):
    facility, _request, plan, scheme = records
    client = login(officer)
    for url in [
        reverse("beneficiaries:facility_list"),
        reverse("beneficiaries:request_list"),
        reverse("beneficiaries:request_review_queue") + "?year=2023",
        reverse("schemes:scheme_list"),
        reverse("plans:plan_list"),
        reverse("plans:plan_detail", args=[plan.pk]),
        reverse("beneficiaries:facility_detail", args=[facility.pk]),
        reverse("duties:task_list"),
        reverse("reports:report_list"),
    ]:
        assert_cards(client.get(url))
    # The scheme's items, beneficiaries, contracts, payments, checks, acceptance and history.
    assert_cards(client.get(reverse("schemes:scheme_detail", args=[scheme.pk])), titled=False)
    assert_cards(client.get(reverse("dashboard") + "?year=2022"), titled=False)


def fold(response):
    html = response.content.decode()
    start = html.index('<details class="filters-fold"')
    return html[start : html.index(">", start) + 1]


def test_the_filters_come_folded_unless_one_is_asked_for(login, officer, records):
    client = login(officer)
    facilities = reverse("beneficiaries:facility_list")
    assert fold(client.get(facilities)) == '<details class="filters-fold">'
    assert fold(client.get(facilities + "?o=-workers&page=1")) == '<details class="filters-fold">'
    assert fold(client.get(facilities + "?q=+")) == '<details class="filters-fold">'
    assert fold(client.get(facilities + "?q=ch%C3%A8")) == '<details class="filters-fold" open>'
    assert "đang lọc" in client.get(facilities + "?q=ch%C3%A8").content.decode()
    queue = reverse("beneficiaries:request_review_queue")
    # The queue's year is the view's own default, not a filter the user asked for.
    assert fold(client.get(queue)) == '<details class="filters-fold">'
    assert fold(client.get(queue + f"?year={datetime.date.today().year}")).endswith(" open>")
    assert fold(client.get(reverse("schemes:scheme_list") + "?status=in_progress")).endswith(
        " open>"
    )
