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


class TextSearchFilter(django_filters.CharFilter):
    """Free text over a model's `search_text`, ignoring case and diacritics ('bac quang' finds
    'Bắc Quang'); every word must appear."""

    def __init__(self, *, placeholder, field_name="search_text", **kwargs):
        kwargs.setdefault("label", "Tìm kiếm")
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": placeholder}))
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs, value):
        for word in search_key(value).split():
            qs = qs.filter(**{f"{self.field_name}__contains": word})
        return qs
