"""District intake pages: facilities, requests, their documents and spreadsheet imports.
Every object is read through its scoped queryset; writes go through beneficiaries.services."""
