"""The loop of our spreadsheet imports, for any model: each row's cells read by the widgets of
a Resource's columns, the record checked as full_clean() would (beneficiaries.fieldchecks, then
the model's clean()) and by the rules that need the other rows, errors collected by line and
column, and every row written at once with its history — or none.

django-import-export's own loop (import_data) did the same a row at a time through its hooks:
at ten thousand rows it spent several times as long as reading the file; see the README."""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from import_export import resources

from .bulkwrites import NewRows, copy_into_history
from .fieldchecks import FieldChecks

logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The file as a whole cannot be imported (missing columns …); the message says why."""


@dataclass
class ImportOutcome:
    """What an import did or would do: rows to create or change, and errors by line."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list = field(default_factory=list)  # (line, "new"|"update", summary, changes)
    errors: list = field(default_factory=list)  # (line, column, message)

    @property
    def ok(self):
        return not self.errors


class PortalResource(resources.ModelResource):
    """The columns of a sheet, and their import: the user's scope, line numbers of the sheet,
    Vietnamese errors by column, a preview of each row, and bulk writes with history."""

    required_columns: tuple = ()
    # The field whose column names an existing record to change; None: every row is a new one.
    id_field = None
    update_fields: tuple = ()

    def __init__(self, *, user):
        super().__init__()
        self.user = user

    # --- What each import defines --------------------------------------------------------------

    def set_up(self, sheet):
        """Before the rows: the lists cells are looked up in, and what row_rules needs."""

    def existing(self, sheet):
        """{id: record} of the user's scope that the sheet names by id_field."""
        return {}

    def unknown_id(self, given):
        """The message for an id that names no record of the user's scope."""
        raise NotImplementedError

    def new_instance(self):
        model = self._meta.model
        instance = model(*self.blank) if self.blank else model()
        instance.created_by_id = self.user.pk  # by id: cheaper, and never read back here
        return instance

    def row_rules(self, instance):
        """Errors that need the other rows or the database (duplicates …): {attribute: [msg]}."""
        return {}

    # --- The import ---------------------------------------------------------------------------

    def run(self, dataset, *, dry_run):
        """Check every row (dry run) or write them all in one transaction."""
        self.check_headers(dataset)
        sheet = Sheet(dataset)
        self.outcome = ImportOutcome()
        with transaction.atomic():
            self.set_up(sheet)
            if dry_run:
                self.read_rows(sheet)
            else:
                self.read_and_write(sheet)
            self.outcome.errors.sort(key=lambda error: error[0] or 0)
            if self.outcome.errors:
                transaction.set_rollback(True)
        return self.outcome

    def check_headers(self, dataset):
        missing = [
            self.fields[name].column_name
            for name in self.required_columns
            if self.fields[name].column_name not in dataset.headers
        ]
        if missing:
            raise ImportRefused(
                "Tệp thiếu cột: " + ", ".join(f"“{m}”" for m in missing) + ". Hãy dùng tệp mẫu."
            )

    def read_rows(self, sheet):
        """The records to create and to change; the errors of each row go to the outcome."""
        return self.check_rows(sheet, self.start_reading(sheet), self.existing(sheet))

    def check_rows(self, sheet, cells, records, new_rows=None):
        """read_rows() once the cells and records are found. Each new record found valid goes
        on to `new_rows` (NewRows) while no row has had an error."""
        created, updated = [], []
        for line, values in sheet.rows():
            try:
                instance, errors, changes = self.import_row(values, cells, records)
            except Exception as error:  # a bug of ours: said on its line, never a server error
                logger.exception("Import of %s failed on line %s", self._meta.model.__name__, line)
                self.outcome.errors.append((line, "", _plain(error)))
                continue
            if instance is None:
                self.outcome.unchanged += 1
            elif errors:
                self.outcome.errors += [
                    (line, self.column_of(attribute), message)
                    for attribute, messages in errors.items()
                    for message in messages
                ]
            elif instance.pk:
                updated.append(instance)
                self.outcome.updated += 1
                self.outcome.rows.append((line, "update", str(instance), changes))
            else:
                created.append(instance)
                self.outcome.created += 1
                self.outcome.rows.append((line, "new", str(instance), []))
                if new_rows and not self.outcome.errors:
                    new_rows.add(instance)
        return created, updated

    def start_reading(self, sheet):
        """What every row needs, found once: [(attribute, position in the row, widget's clean)]
        for the columns the sheet has."""
        self.watched = [f.attribute for f in self.imported_fields()]
        self.columns = {}
        for f in self.fields.values():
            if f.attribute:
                self.columns.setdefault(f.attribute, f.column_name)
        self.checks = FieldChecks(self._meta.model)
        self.blank = _blank_values(self._meta.model)
        # read_sheet gave every text cell as it is stored (NFC, no invisible characters).
        self.text_is_nfc = getattr(sheet.dataset, "text_is_nfc", False)
        id_column = self.fields[self.id_field].column_name if self.id_field else None
        self.id_position = sheet.position.get(id_column)
        return [
            (f.attribute, sheet.position[f.column_name], f.widget.clean)
            for f in self.imported_fields()
            if f.column_name in sheet.position
        ]

    def imported_fields(self):
        """The fields a row sets, in the library's import order (that of errors and changes)."""
        return [f for f in self.get_import_fields() if f.attribute and not f.readonly]

    def column_of(self, attribute):
        return "" if attribute == NON_FIELD_ERRORS else self.columns.get(attribute, "")

    def import_row(self, values, cells, records):
        """One row: (record, {attribute: [messages]}, changes shown), or (None, {}, []) when it
        names an existing record and changes nothing: that one is left alone."""
        refused = {}  # the cells a widget could not read
        instance = self.instance_for(values, records, refused)
        before = [getattr(instance, name, None) for name in self.watched] if instance.pk else None
        for attribute, position, clean in cells:
            try:
                setattr(instance, attribute, clean(values[position]))
            except ValueError as error:
                refused[attribute] = [str(error)]
        checked = self.check(instance, exclude=refused)
        changes = [] if before is None else self.changes(before, instance)
        if before is not None and not refused and not changes:
            return None, {}, []
        errors = refused
        for name, messages in checked.items():
            errors.setdefault(name, []).extend(messages)
        return instance, errors or self.row_rules(instance), changes

    def instance_for(self, values, records, errors):
        """The record the row names by id_field, else a new one."""
        if self.id_position is None:
            return self.new_instance()
        given = values[self.id_position]
        try:
            instance = records.get(self.fields[self.id_field].widget.clean(given))
        except ValueError as error:
            errors[self.id_field] = [str(error)]
            return self.new_instance()
        if instance is None:
            if given not in (None, ""):
                errors[self.id_field] = [self.unknown_id(given)]
            instance = self.new_instance()
        return instance

    def check(self, instance, *, exclude):
        """full_clean() without the unique and constraint checks (a query per row; the database
        applies them when writing): the text as it will be stored, each field, the model's
        clean()."""
        if not self.text_is_nfc:
            instance.normalize_text()
        errors = self.checks.errors(instance, exclude)
        try:
            instance.clean()
        except ValidationError as error:
            for name, messages in _by_field(error).items():
                errors.setdefault(name, []).extend(messages)
        return errors

    def changes(self, before, instance):
        """[(column, old, new)] shown for the preview, in the order of the columns."""
        after = [getattr(instance, name, None) for name in self.watched]
        return [
            (self.columns[name], self.shown(old), self.shown(new))
            for name, old, new in zip(self.watched, before, after, strict=True)
            if old != new
        ]

    @staticmethod
    def shown(value):
        if value in (None, ""):
            return "—"
        if isinstance(value, bool):
            return "Có" if value else "Không"
        return str(value)

    def read_and_write(self, sheet):
        """Check the rows and write them, with their history, in one pass: new records are sent
        to the database as they are checked (NewRows), changed ones once all are checked. After
        a row with an error nothing more is sent, and run() rolls back what was; a refusal of
        the database is reported and nothing is written."""
        model = self._meta.model
        cells, records = self.start_reading(sheet), self.existing(sheet)
        try:
            with transaction.atomic():
                with NewRows(model, self.most_new(sheet)) as new_rows:
                    created, updated = self.check_rows(sheet, cells, records, new_rows)
                if self.outcome.errors:
                    return
                now = timezone.now()
                for instance in updated:
                    instance.updated_at = now
                    instance.fill_derived()  # what save() adds to the checked, normalised text
                if updated:
                    model.objects.bulk_update(updated, self.update_fields, batch_size=1000)
                copy_into_history(model, [row.pk for row in created], "+", user=self.user)
                copy_into_history(model, [row.pk for row in updated], "~", user=self.user)
        except Exception as error:
            logger.exception("Import of %s failed while writing", model.__name__)
            self.outcome.errors.append((None, "", _plain(error)))

    def most_new(self, sheet):
        """How many rows may be new records: those whose id cell is empty."""
        id_field = self.fields[self.id_field] if self.id_field else None
        if id_field is None or id_field.column_name not in sheet.position:
            return sheet.dataset.height
        return sum(1 for value in sheet.column(id_field.column_name) if _empty(id_field, value))


def _blank_values(model):
    """A new instance's field values in order, when every default is a constant (a new record
    is then made from them by position, in half the time of Model()); None otherwise."""
    values = []
    for model_field in model._meta.concrete_fields:
        value = model_field.get_default()
        if (model_field.has_default() and callable(model_field.default)) or not isinstance(
            value, str | int | float | bool | type(None)
        ):
            return None
        values.append(value)
    return values


def _empty(field, value):
    try:
        return field.widget.clean(value) is None
    except ValueError:
        return False


def _by_field(error):
    """{attribute: [messages]} of a ValidationError; NON_FIELD_ERRORS when it names none."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


def _plain(error):
    """A database or unexpected error, in words a user can act on."""
    if isinstance(error, IntegrityError):
        return "Dữ liệu vi phạm một ràng buộc của hệ thống; không dòng nào được ghi."
    return "Lỗi không xác định khi ghi dữ liệu; không dòng nào được ghi."


class Sheet:
    """The rows of a dataset from read_sheet, with the sheet's own line numbers (read_sheet
    drops empty rows) and each column's position (of two columns with one header, the last,
    as a row read into a dict would have it)."""

    def __init__(self, dataset):
        self.dataset = dataset
        self.position = {header: index for index, header in enumerate(dataset.headers)}

    def rows(self):
        lines = getattr(self.dataset, "line_numbers", None) or range(2, self.dataset.height + 2)
        return zip(lines, self.dataset, strict=True)

    def column(self, header):
        """The values of a column; none when the sheet does not have it."""
        position = self.position.get(header)
        return [] if position is None else [row[position] for row in self.dataset]
