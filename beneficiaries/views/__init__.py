"""District intake pages: facilities, requests, their documents and spreadsheet imports.
Every object is read through its scoped queryset; writes go through beneficiaries.services."""

from django.core.exceptions import PermissionDenied


def require(allowed, message):
    """403 with a Vietnamese reason when a role may not use a page."""
    if not allowed:
        raise PermissionDenied(message)
