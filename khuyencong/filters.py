"""Filter pieces shared by the list pages."""

import django_filters
from django import forms

from .text import search_key


class InlineSelect(forms.Select):
    """Django's select, its options written out in its own template: Django's includes two more
    templates per option, 5 ms of a list page for the hundred districts of ten provinces."""

    template_name = "khuyencong/widgets/select.html"


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
