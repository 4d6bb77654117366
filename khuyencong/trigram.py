"""A migration operation for a trigram index on a text column."""

from django.db import migrations


def trigram_index(table, column, name):
    """The operation that creates (and, backwards, drops) a GIN trigram index `name`."""
    return migrations.RunSQL(
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)",
        f"DROP INDEX IF EXISTS {name}",
    )
