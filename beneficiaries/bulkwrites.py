"""Writing thousands of rows at once, with their history: what an import confirms."""

from django.db import connection
from django.utils import timezone

from khuyencong.bulk import copy_rows, next_ids

IMPORT_REASON = "Nhập từ tệp Excel"
# Rows per history copy: far below the databases' limits on parameters.
BATCH_SIZE = 1000


def insert_rows(model, instances):
    """Insert new rows with one COPY, as bulk_create would store them (each field's pre_save and
    get_db_prep_save), and give each instance its id."""
    if not instances:
        return
    for instance, pk in zip(instances, next_ids(model, len(instances)), strict=True):
        instance.pk = pk
    fields = model._meta.concrete_fields
    copy_rows(
        model,
        (
            [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
            for instance in instances
        ),
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
