"""Template filters for money and labels used across the portal."""

import uuid

from django import template
from django.utils.html import format_html

from khuyencong import workflow
from khuyencong.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """1200000000 → '1.200.000.000 đ'; None → '—'."""
    return "—" if amount is None else format_vnd(amount)


@register.filter
def percent_of(part, whole):
    """Whole-number percentage, 0 when the whole is empty."""
    return round(100 * (part or 0) / whole) if whole else 0


@register.filter
def vnd_plain(amount):
    """1200000000 → '1.200.000.000' (tables that state their unit once); None → '—'."""
    return "—" if amount is None else format_vnd(amount, unit=False)


@register.simple_tag(takes_context=True)
def sort_th(context, key, label, css=""):
    """A column header that sorts the list by `key` (the filter's 'o' parameter), keeping the
    other filters; a second click reverses the order."""
    query = context["request"].GET.copy()
    current = query.get("o", "")
    ascending = current != key
    query["o"] = key if ascending else f"-{key}"
    query.pop("page", None)
    mark = {key: " ▲", f"-{key}": " ▼"}.get(current, "")
    sort = {key: "ascending", f"-{key}": "descending"}.get(current)
    return format_html(
        '<th class="{}"{}><a class="sort" href="?{}">{}{}</a></th>',
        css,
        format_html(' aria-sort="{}"', sort) if sort else "",
        query.urlencode(),
        label,
        mark,
    )


@register.simple_tag
def form_token():
    """The hidden token of a new record's form written by hand in a template (SentOnceForm
    gives its own): the form sent twice saves once."""
    return format_html('<input type="hidden" name="form_token" value="{}">', uuid.uuid4())


@register.simple_tag
def step_question(obj, name):
    """`data-confirm` of a life-cycle step's form: what its button will do to which record."""
    return workflow.step_question(obj, name)


@register.simple_tag(takes_context=True)
def filters_active(context, filterset):
    """Whether the address asks for any of the filter's fields (the sort order aside): the
    folded filters of a phone then come open (a default a view fills in is not asked for)."""
    asked = context["request"].GET
    return any(
        value.strip()
        for name in filterset.form.fields
        if name != "o"
        for value in asked.getlist(name)
    )
