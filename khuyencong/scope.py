"""Scope: a user sees his administrative unit, the units below it and the units that passed into
them through a reform (a commune's three former communes, the merged province's former one) —
nothing else.

Every read of business data goes through `visible_to(user)` on its queryset; views never filter
by unit themselves. A queryset says where its rows sit in the unit tree with `in_unit(unit)`.
"""

from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404


def in_unit_q(unit, lookup):
    """Q keeping rows whose unit (reached by `lookup`, e.g. 'facility__unit'; '' for units
    themselves) is `unit`, lies below it or below one of its predecessors: a prefix match on the
    indexed materialised path for each path of `unit.scope_paths()` (one, unless a reform merged
    units into it; the database keeps that list on the unit's row, so it costs no query)."""
    field = f"{lookup}__path__startswith" if lookup else "path__startswith"
    q = Q()
    for path in unit.scope_paths():
        q |= Q(**{field: path})
    return q


class VisibleToMixin:
    """`visible_to(user)` for any queryset that defines `in_unit(unit)`."""

    def visible_to(self, user):
        return self.scoped_to(user, self.in_unit)

    def scoped_to(self, user, in_unit):
        """What `in_unit(unit)` keeps of the user's unit: all for who sees everything, nothing
        for who is signed out or of no unit."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.unit_id is None:
            return self.none()
        return in_unit(user.unit)


def openable(user, queryset, ids):
    """Of `ids`, those whose records the user may open (queryset.visible_to, the rule their
    pages apply): a page links those and names the others as text. No query for who sees
    everything."""
    ids = {pk for pk in ids if pk is not None}
    if not ids or (user.is_authenticated and user.sees_everything):
        return ids
    return set(queryset.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


class ScopedQuerySet(VisibleToMixin, models.QuerySet):
    """QuerySet of a model placed in the unit tree by `scope_lookup` (default: its 'unit')."""

    scope_lookup = "unit"

    def in_unit(self, unit):
        return self.filter(in_unit_q(unit, self.scope_lookup))


def scope_unit_field():
    """A row's unit kept by the database from a related row's (its facility's), for scoping
    only: triggers fill it on insert and move it with the facility, so a list is scoped without
    joining every row to its facility. Not for display: a row saved in this process holds None
    here until read again."""
    return models.ForeignKey(
        "khuyencong.AdministrativeUnit",
        verbose_name="địa bàn (theo cơ sở)",
        on_delete=models.DO_NOTHING,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )


def home_unit(user):
    """The unit a user works for — his dashboard, his reports, his plans: his own, or the
    portal's province (settings.PROVINCE_CODE) for administrators, who belong to no unit."""
    from .models import AdministrativeUnit  # the models use this module

    return user.unit if user.unit_id else AdministrativeUnit.objects.portal_province()


def get_visible_or_404(queryset_or_model, user, **lookup):
    """The object if the user's scope holds it; 404 otherwise, so its existence does not leak."""
    manager = getattr(queryset_or_model, "objects", queryset_or_model)
    return get_object_or_404(manager.visible_to(user), **lookup)


def parse_pk(value):
    """An id sent by a form or in a URL ('42') as an int, or None for anything else: other
    scripts' digits (²), signs, or more digits than an id has, which would fail the lookup."""
    value = str(value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None
