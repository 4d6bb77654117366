"""Filter pieces shared by the list pages."""

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .text import search_key


class InlineSelect(forms.Select):
    """Django's select, written out in Python: its template includes two more templates per
    option, and even one template looping over the options took 40 ms of a list page for the
    districts of ten provinces (a template variable costs about as much as an option's HTML)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html("<select{}>", flatatt({"name": name, **widget["attrs"]}))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))


class SearchableSelect(InlineSelect):
    """A long select (a province's facilities) with a search box before it: what is typed asks
    `search_url` (htmx, a GET with `q`) for the matching <option>s, which replace the select's.
    Without JavaScript the box does nothing and the select is the plain one, scope-limited."""

    def __init__(self, attrs=None, *, search_url="", placeholder="Gõ để tìm…"):
        super().__init__(attrs)
        self.search_url, self.placeholder = search_url, placeholder

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        if not self.search_url:
            return select
        target = (attrs or {}).get("id") or f"id_{name}"
        box = format_html(
            '<input type="search" name="q" class="picker-search" placeholder="{}" '
            'aria-label="{}" aria-controls="{}" autocomplete="off" hx-get="{}" '
            'hx-trigger="input changed delay:300ms, search" hx-target="#{}" hx-swap="innerHTML" '
            'hx-sync="this:replace">',
            self.placeholder,
            self.placeholder,
            target,
            self.search_url,
            target,
        )
        return box + select


class TextSearchFilter(django_filters.CharFilter):
    """Free text over a model's `search_text`, ignoring case and diacritics ('bac quang' finds
    'Bắc Quang'); every word must appear."""

    def __init__(self, *, placeholder, field_name="search_text", **kwargs):
        kwargs.setdefault("label", "Tìm kiếm")
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": placeholder}))
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs, value):
        return text_search(qs, value, self.field_name)


def text_search(queryset, text, field_name="search_text"):
    """The rows whose search key holds every word of `text` (case and accents ignored)."""
    for word in search_key(text).split():
        queryset = queryset.filter(**{f"{field_name}__contains": word})
    return queryset
