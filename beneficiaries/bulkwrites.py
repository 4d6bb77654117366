"""Writing thousands of rows at once, with their history: what an import confirms."""

import contextlib

from django.db import connection, models
from django.utils import timezone

from khuyencong.bulk import copying, next_ids

from .fieldchecks import PLAIN_TYPES

IMPORT_REASON = "Nhập từ tệp Excel"


class NewRows:
    """New rows of a model written by one COPY while an import is still checking the sheet:
    each goes to the database as soon as it is found valid, so PostgreSQL stores and indexes it
    (the trigram index of a facility's name and address is most of the work) while Python checks
    the next ones. Rows are stored as bulk_create would store them; one moment stands for the
    whole write in the auto_now fields. `most`: how many rows may come, at most (their ids are
    drawn from the table's sequence beforehand: nothing else can be asked of the database while
    the COPY is open)."""

    def __init__(self, model, most):
        self.model = model
        self.ids = next_ids(model, most) if most else []
        self.written = []

    def __enter__(self):
        now = timezone.now()
        self.columns = [_column(field, now) for field in self.model._meta.concrete_fields]
        self._stack = contextlib.ExitStack()
        self._write = self._stack.enter_context(copying(self.model))
        # A query now would wait for the COPY to end, for ever: it fails at once instead.
        self._stack.enter_context(connection.execute_wrapper(_no_query_while_copying))
        return self

    def add(self, instance):
        instance.pk = self.ids[len(self.written)]
        instance.fill_derived()  # what save() adds to the checked, normalised text
        self._write([value(instance) for value in self.columns])
        instance._state.adding = False
        instance._state.db = connection.alias
        self.written.append(instance)

    def __exit__(self, *exc_info):
        return self._stack.__exit__(*exc_info)


def _no_query_while_copying(execute, sql, params, many, context):
    raise RuntimeError(f"A query while new rows are being copied: {sql[:200]}")


def _column(field, now):
    """instance → the field's value as the database takes it: what bulk_create gets from
    field.pre_save() and get_db_prep_save(), without their dozen calls for the plain values of
    text, number and foreign-key columns, which make up nearly all of a row."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        prepared = field.get_db_prep_save(now, connection)

        def moment(instance):
            setattr(instance, field.attname, now)
            return prepared

        return moment
    attname = field.attname
    target = field.target_field if field.is_relation else field
    plain = next((kind for cls, kind in PLAIN_TYPES if isinstance(target, cls)), None)
    custom_pre_save = type(field).pre_save is not models.Field.pre_save

    def value(instance):
        raw = getattr(instance, attname)
        if raw is None or (type(raw) is plain and not custom_pre_save):
            return raw
        return field.get_db_prep_save(field.pre_save(instance, True), connection)

    return value


def copy_into_history(model, ids, history_type, *, user):
    """The history rows of these rows just written by an import, as simple_history's
    bulk_create_with_history would add them (this user, IMPORT_REASON, now; "+" created or "~"
    changed), copied by the database from the rows themselves in INSERT … SELECT instead of
    built and sent one by one: half the time of writing a large sheet."""
    if not ids:
        return
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in history.tracked_fields)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "
            "history_user_id, history_change_reason, history_type) "
            f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} = ANY(%s)",
            [now, user.pk, IMPORT_REASON, history_type, ids],
        )
