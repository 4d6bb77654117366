"""One way to paginate list pages."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

PAGE_SIZE = 50


def paginate(request, queryset, per_page=PAGE_SIZE, *, count=None, rows=None):
    """The requested page; a page number out of range or not a number gives the nearest page.

    `count`: how many rows there are, when the view has already counted or summed them (saves
    the query that counts them again).
    `rows(ids)`: the full rows of these ids, for a list whose order needs joins that its rows'
    columns would make costly to sort (a year's requests ordered by facility name), or whose
    filter is costly to evaluate (the schemes with their risks). The page's ids are then read in
    a narrow query over `queryset`, and only the page's rows in full. Without `count`, that
    query also counts all rows (`COUNT(*) OVER ()`), so the filter is evaluated once."""
    if rows is not None:
        return _page_of_ids(request, queryset, per_page, rows, count)
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached property: this is its value
    return paginator.get_page(request.GET.get("page"))


def _page_of_ids(request, queryset, per_page, rows, count):
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
        number = paginator.get_page(request.GET.get("page")).number
        ids = list(queryset.values_list("pk", flat=True)[_slice(number, per_page)])
    else:
        number, ids = _ids_and_count(request, paginator, queryset, per_page)
    loaded = {row.pk: row for row in rows(ids)}
    return Page([loaded[pk] for pk in ids], number, paginator)


def _ids_and_count(request, paginator, queryset, per_page):
    try:
        # Past any list, and within the database's integers once multiplied into an offset.
        number = min(int(request.GET.get("page") or 1), 10**9)
    except ValueError:
        number = 1
    picked = _pick(queryset, number, per_page) if number >= 1 else []
    if picked:
        paginator.count = picked[0][1]
    elif number == 1:
        paginator.count = 0
    else:  # out of range: the last page, as Paginator.get_page() gives
        number = paginator.num_pages
        picked = _pick(queryset, number, per_page)
    return number, [pk for pk, _ in picked]


def _slice(number, per_page):
    bottom = (number - 1) * per_page
    return slice(bottom, bottom + per_page)


def _pick(queryset, number, per_page):
    """[(id, count of all rows)] of page `number`, in the list's order."""
    counted = queryset.annotate(rows_in_list=Window(Count("pk")))
    return list(counted.values_list("pk", "rows_in_list")[_slice(number, per_page)])
