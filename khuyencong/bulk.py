"""Writing many rows to PostgreSQL at once, by COPY: the import of a sheet and the bench data.

bulk_create's INSERT … UNNEST has the driver build a text array per column value by value in
Python; COPY streams the rows, and the database indexes them while the next ones are built.
COPY gives nothing back, so the rows' ids are drawn from the table's sequence beforehand."""

import contextlib

from django.db import connection


def next_ids(model, count):
    """`count` fresh primary keys of the model's table, from its own sequence, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


@contextlib.contextmanager
def copying(model):
    """An open COPY into the model's table: gives write(row), row being the values of the
    model's concrete fields in their order. The database takes each row as it comes, while the
    caller prepares the next; the connection runs nothing else until the block ends. Recorded
    as a query where queries are (tests, benchmarks, DEBUG), its time that of the whole block."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors:  # Django's errors
        logged = getattr(cursor, "debug_sql", None)
        with logged(sql) if logged else contextlib.nullcontext(), cursor.cursor.copy(sql) as copy:
            yield copy.write_row


def copy_rows(model, rows):
    """Write `rows` (as for copying) with one COPY."""
    with copying(model) as write:
        for row in rows:
            write(row)
