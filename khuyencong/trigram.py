"""A migration operation for a trigram index on a text column, on PostgreSQL only."""

from django.db import migrations


def trigram_index(table, column, name):
    """The operation that creates (and, backwards, drops) a GIN trigram index `name`."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
