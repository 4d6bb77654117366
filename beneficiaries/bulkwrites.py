"""Writing thousands of rows at once, with their history: what an import confirms."""

import contextlib

from django.db import connection
from django.utils import timezone

IMPORT_REASON = "Nhập từ tệp Excel"
# Rows per history copy: far below the databases' limits on parameters.
BATCH_SIZE = 1000


def insert_rows(model, instances):
    """Insert new rows as bulk_create would (the same values: each field's pre_save and
    get_db_prep_save) and give each instance its id.

    On PostgreSQL the rows go in one COPY, their ids taken from the table's sequence first:
    bulk_create's INSERT … UNNEST sends a text array per column that the driver builds value by
    value in Python; COPY streams the rows, so that the database indexes them while the next
    ones are being built."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(instances, batch_size=BATCH_SIZE)
        return
    if not instances:
        return
    opts = model._meta
    fields = opts.concrete_fields
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    copy_sql = f"COPY {table} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(instances)],
        )
        for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = pk
        # Recorded as a query like any other where queries are (tests, benchmarks, DEBUG); its
        # time includes building the rows.
        logged = getattr(cursor, "debug_sql", None)
        with (
            logged(copy_sql) if logged else contextlib.nullcontext(),
            cursor.cursor.copy(copy_sql) as copy,
        ):
            for instance in instances:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
                )
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias


def copy_into_history(model, ids, history_type, *, user):
    """The history rows of these rows just written by an import, as simple_history's
    bulk_create_with_history would add them (this user, IMPORT_REASON, now; "+" created or "~"
    changed), copied by the database from the rows themselves in INSERT … SELECT instead of
    built and sent one by one: half the time of writing a large sheet."""
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in history.tracked_fields)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "
                "history_user_id, history_change_reason, history_type) "
                f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({marks})",
                [now, user.pk, IMPORT_REASON, history_type, *batch],
            )
