"""Pagination: a page read by its ids (the scheme list) is the page Django's paginator gives, out
of range and empty lists included, in two queries whatever the page; a count the view already
has is not queried again."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from khuyencong.pagination import paginate
from schemes.models import Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db
PER_PAGE = 3


@pytest.fixture
def schemes(province):
    plan = f.PlanFactory(unit=province.province)
    # Codes out of creation order, so that the list's order is not the ids'.
    return [f.SchemeFactory(plan=plan, code=f"ĐA-{n:02}") for n in (7, 3, 5, 1, 4, 2, 6)]


def _get(page):
    return RequestFactory().get("/", {} if page is None else {"page": page})


def _by_ids(page, queryset):
    return paginate(
        _get(page), queryset, PER_PAGE, rows=lambda ids: Scheme.objects.filter(pk__in=ids)
    )


def _plain(page, queryset):
    return Paginator(queryset, PER_PAGE).get_page(page)


@pytest.mark.parametrize("page", [None, "1", "2", "3", "4", "999", "0", "-1", "x"])
def test_a_page_read_by_its_ids_is_the_paginators_page(schemes, page):
    queryset = Scheme.objects.order_by("code")
    got, expected = _by_ids(page, queryset), _plain(page, queryset)
    assert [s.code for s in got] == [s.code for s in expected]
    assert (got.number, got.paginator.count, got.paginator.num_pages) == (
        expected.number,
        expected.paginator.count,
        expected.paginator.num_pages,
    )


@pytest.mark.parametrize("page", [None, "2"])
def test_an_empty_list_read_by_ids_has_one_empty_page(schemes, page):
    got = _by_ids(page, Scheme.objects.filter(code="none").order_by("code"))
    assert (list(got), got.number, got.paginator.count, got.paginator.num_pages) == ([], 1, 0, 1)


def test_a_page_read_by_its_ids_takes_two_queries_ids_with_count_then_rows(schemes):
    with CaptureQueriesContext(connection) as queries:
        page = _by_ids("2", Scheme.objects.order_by("code"))
        assert page.paginator.count == 7 and page.has_next()
    assert len(queries) == 2
    assert "OVER ()" in queries[0]["sql"]


def test_a_count_given_by_the_view_is_not_queried_again(schemes):
    with CaptureQueriesContext(connection) as queries:
        page = paginate(_get("3"), Scheme.objects.order_by("code"), PER_PAGE, count=7)
        assert [s.code for s in page] == ["ĐA-07"]
    assert len(queries) == 1


@pytest.mark.parametrize("page", [None, "3", "999", "x"])
def test_a_page_read_by_its_ids_with_a_count_given_is_the_paginators_page(schemes, page):
    queryset = Scheme.objects.order_by("code")
    with CaptureQueriesContext(connection) as queries:
        got = paginate(
            _get(page),
            queryset,
            PER_PAGE,
            count=7,
            rows=lambda ids: Scheme.objects.filter(pk__in=ids),
        )
        codes = [s.code for s in got]
    expected = _plain(page, queryset)
    assert codes == [s.code for s in expected]
    assert (got.number, got.paginator.num_pages) == (expected.number, expected.paginator.num_pages)
    assert len(queries) == 2 and "OVER" not in queries[0]["sql"]
