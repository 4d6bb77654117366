"""Facilities and support requests from and to spreadsheets (django-import-export).

An import runs in two steps: a preview (every row validated, nothing written) and, once the user
confirms, the same import for real in one transaction — any error and nothing is written. Rows
are written with the library's bulk path; foreign keys are looked up in dictionaries filled once
per import, so the number of queries does not grow with the number of rows.
"""

import contextlib
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from khuyencong.models import ActivityType
from khuyencong.money import parse_vnd
from khuyencong.text import search_key

from .forms import communes_for
from .models import Facility, Sector, SupportRequest, facility_name_key
from .validation import clean_tax_code

IMPORT_REASON = "Nhập từ tệp Excel"
logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The file as a whole cannot be imported (missing columns …); the message says why."""


# --- Cell widgets: what people type in a sheet, read with Vietnamese messages ---------------


def refuse_formula(value):
    if isinstance(value, str) and value.startswith("="):
        raise ValueError("Ô chứa công thức; hãy ghi giá trị (chép và dán dạng giá trị).")


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a tax code or phone number typed as a number
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


# 1234 or 1.234, in ASCII digits: int() reads other scripts' digits, refuses some (²) and
# thousands of them in English, and "1.2.3" is a typing mistake, not 123.
_WHOLE = re.compile(r"^([0-9]+|[0-9]{1,3}(\.[0-9]{3})+)$")


class WholeNumberWidget(widgets.Widget):
    def __init__(self, *, money=False, blank=None):
        super().__init__()
        self.money, self.blank = money, blank

    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if value in (None, ""):
            return self.blank
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError(f"“{value}” phải là số nguyên.")
            value = int(value)
        if isinstance(value, int) and not self.money:
            number = value
        elif self.money:
            number = parse_vnd(value)
        else:
            text = str(value).strip()
            if not (_WHOLE.match(text) and len(text) <= 24):
                raise ValueError(f"“{value}” không phải là số.")
            number = int(text.replace(".", ""))
        if number < 0:
            raise ValueError("Không được là số âm.")
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class YesNoWidget(widgets.Widget):
    YES = {"có", "co", "x", "1", "true", "yes"}
    NO = {"", "không", "khong", "0", "false", "no"}

    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(f"“{value}”: hãy ghi “Có” hoặc để trống.")

    def render(self, value, obj=None, **kwargs):
        return "Có" if value else ""


AMBIGUOUS = object()


class LookupWidget(widgets.Widget):
    """A value chosen from a list, found by its label, its code or its name, ignoring case and
    accents. `choices` is [(object, code, name)]; `label` names the list in messages."""

    def __init__(self, choices, label, *, labels=None):
        super().__init__()
        self.label = label
        self.by_key = {}
        for obj, code, name in choices:
            keys = (
                {code, name, f"{code} – {name}", f"{code} - {name}"}
                if code and name
                else {code or name}
            )
            for key in filter(None, keys):
                key = search_key(key)
                # A name two entries share (two communes called Tân Lập) finds neither.
                self.by_key[key] = obj if self.by_key.get(key, obj) == obj else AMBIGUOUS
        # The texts of the list as the template offers them, found without computing their key:
        # most cells hold one of them (the drop-down's), ten thousand times in a large sheet.
        self.by_text = {
            text: self.by_key[search_key(text)]
            for _obj, code, name in choices
            for text in (code, name, f"{code} – {name}")
            if text and search_key(text) in self.by_key
        }
        self.labels = labels or {}

    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if value in (None, ""):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        found = self.by_text.get(value) if isinstance(value, str) else None
        if found is None:
            found = self.by_key.get(search_key(str(value)))
        if found is AMBIGUOUS:
            raise ValueError(f"“{value}” trùng tên trong danh sách {self.label}: hãy ghi kèm mã.")
        if found is None:
            raise ValueError(
                f"“{value}” không có trong danh sách {self.label} (xem trang Danh mục)."
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.labels.get(value, str(value))


# --- Resources ---------------------------------------------------------------------------------


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
    """What the facility and request imports share: the user's scope, line numbers of the
    sheet, Vietnamese errors by column, a preview of each row, and bulk writes with history."""

    required_columns: tuple = ()

    def __init__(self, *, user):
        super().__init__()
        self.user = user
        self.outcome = ImportOutcome()
        self._changes = {}

    # Line numbers: read_sheet drops empty rows, so keep the sheet's own numbering.
    def line_of(self, row_number):
        lines = getattr(self._dataset, "line_numbers", None)
        return lines[row_number - 1] if lines else row_number + 1

    def column_of(self, attribute):
        for f in self.fields.values():
            if f.attribute == attribute:
                return f.column_name
        return ""

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

    def before_import(self, dataset, **kwargs):
        self._dataset = dataset

    def get_import_fields(self):
        # The library asks for them on every row; they do not change during an import.
        if not hasattr(self, "_import_fields"):
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_instance(self, instance, row, **kwargs):
        watched = [f.attribute for f in self.get_import_fields() if f.attribute and not f.readonly]
        # A new row has nothing to compare with.
        before = {name: getattr(instance, name, None) for name in watched} if instance.pk else {}
        super().import_instance(instance, row, **kwargs)
        # Normalise (tax code, phones) before comparing; errors are reported by validate_instance.
        with contextlib.suppress(ValidationError):
            instance.clean()
        if instance.pk:
            self._changes[kwargs["row_number"]] = [
                (self.column_of(name), before[name], getattr(instance, name, None))
                for name in watched
                if before[name] != getattr(instance, name, None)
            ]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # An existing record the sheet does not change is left alone.
        return (
            bool(instance.pk)
            and not import_validation_errors
            and not self._changes.get(self._current_row)
        )

    def import_row(self, row, instance_loader, **kwargs):
        self._current_row = kwargs["row_number"]
        return super().import_row(row, instance_loader, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # Foreign keys were found by the lookup widgets among the rows of the user's scope, and
        # constraints are checked by the database at write time: checking either again here
        # would cost a query per row.
        looked_up = [
            f.name
            for f in instance._meta.concrete_fields
            if f.is_relation and getattr(instance, f.attname) is not None
        ]
        try:
            instance.full_clean(
                exclude=[*errors, *looked_up], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            errors = self.row_rules(instance)
        if errors:
            raise ValidationError(errors)

    def after_import(self, dataset, result, **kwargs):
        # The library resets the id sequence to max(id) here; with other sessions inserting
        # meanwhile that can hand out an id twice, and our rows never carry their own id.
        pass

    def row_rules(self, instance):
        """Errors that need the other rows or the database (duplicates …): {attribute: [msg]}."""
        return {}

    def after_import_row(self, row, row_result, **kwargs):
        number = kwargs["row_number"]
        line = self.line_of(number)
        kind = row_result.import_type
        if kind == row_result.IMPORT_TYPE_NEW:
            self.outcome.created += 1
            self.outcome.rows.append((line, "new", row_result.object_repr, []))
        elif kind == row_result.IMPORT_TYPE_UPDATE:
            self.outcome.updated += 1
            changes = [(c, self.shown(o), self.shown(n)) for c, o, n in self._changes[number]]
            self.outcome.rows.append((line, "update", row_result.object_repr, changes))
        elif kind == row_result.IMPORT_TYPE_SKIP:
            self.outcome.unchanged += 1

    @staticmethod
    def shown(value):
        if value in (None, ""):
            return "—"
        if isinstance(value, bool):
            return "Có" if value else "Không"
        return str(value)

    def collect_errors(self, result):
        for invalid in result.invalid_rows:
            line = self.line_of(invalid.number)
            for attribute, messages in invalid.error_dict.items():
                column = "" if attribute == NON_FIELD_ERRORS else self.column_of(attribute)
                for message in messages:
                    self.outcome.errors.append((line, column, str(message)))
        for number, errors in result.row_errors():
            for error in errors:
                self.outcome.errors.append((self.line_of(number), "", _plain(error.error)))
        for error in result.base_errors:
            self.outcome.errors.append((None, "", _plain(error.error)))
        self.outcome.errors.sort(key=lambda e: e[0] or 0)

    # Writes: the library's bulk path, with history and what save() would have done.
    def _prepared(self, instances):
        for instance in instances:
            instance.prepare_for_save()
        return instances

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run or not self.create_instances:
            self.create_instances.clear()
            return
        model = self._meta.model
        try:
            with transaction.atomic(savepoint=False):
                written = model.objects.bulk_create(
                    self._prepared(self.create_instances), batch_size=batch_size
                )
                copy_into_history(model, [row.pk for row in written], "+", user=self.user)
        except Exception as error:
            logger.exception("Import of %s failed while writing", self._meta.model.__name__)
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run or not self.update_instances:
            self.update_instances.clear()
            return
        now = timezone.now()
        for instance in self.update_instances:
            instance.updated_at = now
        model = self._meta.model
        try:
            with transaction.atomic(savepoint=False):
                model.objects.bulk_update(
                    self._prepared(self.update_instances),
                    self.bulk_update_fields,
                    batch_size=batch_size,
                )
                ids = [row.pk for row in self.update_instances]
                copy_into_history(model, ids, "~", user=self.user)
        except Exception as error:
            logger.exception("Import of %s failed while writing", self._meta.model.__name__)
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.update_instances.clear()

    def run(self, dataset, *, dry_run):
        """Validate every row (dry run) or write them all in one transaction."""
        self.check_headers(dataset)
        with transaction.atomic():
            result = self.import_data(
                dataset,
                dry_run=dry_run,
                use_transactions=True,
                rollback_on_validation_errors=True,
            )
            self.collect_errors(result)
            if self.outcome.errors:
                transaction.set_rollback(True)
        return self.outcome


def copy_into_history(model, ids, history_type, *, user):
    """The history rows of these rows just written by the import, as simple_history's
    bulk_create_with_history would add them (this user, IMPORT_REASON, now; "+" created or "~"
    changed), copied by the database from the rows themselves in one INSERT … SELECT instead of
    built and sent one by one: half the time of writing a large sheet."""
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in history.tracked_fields)
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "
        "history_user_id, history_change_reason, history_type) "
        f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN ({marks})"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, user.pk, IMPORT_REASON, history_type, *ids])


def _plain(error):
    """A database or unexpected error, in words a user can act on."""
    if isinstance(error, IntegrityError):
        return "Dữ liệu vi phạm một ràng buộc của hệ thống; không dòng nào được ghi."
    return "Lỗi không xác định khi ghi dữ liệu; không dòng nào được ghi."


class FacilityResource(PortalResource):
    id = fields.Field(
        attribute="id", column_name="Mã cơ sở", widget=WholeNumberWidget(), readonly=True
    )
    name = fields.Field(attribute="name", column_name="Tên cơ sở", widget=TextWidget())
    kind = fields.Field(attribute="kind", column_name="Loại hình")
    sector = fields.Field(attribute="sector", column_name="Ngành nghề")
    unit = fields.Field(attribute="unit", column_name="Xã, phường, thị trấn")
    address = fields.Field(attribute="address", column_name="Địa chỉ", widget=TextWidget())
    owner_name = fields.Field(
        attribute="owner_name", column_name="Người đại diện", widget=TextWidget()
    )
    tax_code = fields.Field(attribute="tax_code", column_name="Mã số thuế", widget=TextWidget())
    phone = fields.Field(attribute="phone", column_name="Điện thoại", widget=TextWidget())
    email = fields.Field(attribute="email", column_name="Thư điện tử", widget=TextWidget())
    workers = fields.Field(
        attribute="workers", column_name="Số lao động", widget=WholeNumberWidget(blank=0)
    )
    products = fields.Field(attribute="products", column_name="Sản phẩm chính", widget=TextWidget())

    required_columns = ("name", "kind", "sector", "unit", "owner_name")
    bulk_update_fields = [*Facility.ENTRY_FIELDS, "search_text", "name_key", "updated_at"]

    class Meta:
        model = Facility
        fields = ("id", *Facility.ENTRY_FIELDS)
        import_id_fields = ("id",)
        instance_loader_class = CachedInstanceLoader
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        clean_model_instances = True

    def __init__(self, *, user):
        super().__init__(user=user)
        kinds = Facility.Kind.choices
        self.fields["kind"].widget = LookupWidget(
            [(value, value, label) for value, label in kinds], "loại hình", labels=dict(kinds)
        )
        sectors = Sector.objects.filter(is_active=True)
        self.fields["sector"].widget = LookupWidget(
            [(s, s.code, s.name) for s in sectors], "ngành nghề", labels={}
        )
        self.communes = list(communes_for(user)) if user.unit_id or user.sees_everything else []
        self.fields["unit"].widget = LookupWidget(
            [(u, u.code, u.name) for u in self.communes]
            + [(u, f"{u.name} – {u.parent.name}", None) for u in self.communes if u.parent],
            "xã, phường, thị trấn thuộc phạm vi của bạn",
        )

    def get_queryset(self):
        return Facility.objects.visible_to(self.user)

    def dehydrate_unit(self, facility):
        unit = facility.unit
        return f"{unit.code} – {unit.name}"

    def dehydrate_sector(self, facility):
        return facility.sector.name

    def dehydrate_kind(self, facility):
        return facility.get_kind_display()

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        column = self.fields["tax_code"].column_name
        codes = []
        if column in dataset.headers:
            for value in dataset[column]:
                try:
                    codes.append(clean_tax_code(TextWidget().clean(value)))
                except ValidationError:
                    continue
        self.codes_in_file = Counter(c for c in codes if c)
        self.codes_in_db = dict(
            Facility.objects.filter(tax_code__in=self.codes_in_file).values_list("tax_code", "pk")
        )
        names_column = self.fields["name"].column_name
        # name → its key, for row_rules too: most names reach it exactly as the sheet has them.
        self.name_keys = (
            {v: facility_name_key(v) for v in dataset[names_column]}
            if names_column in dataset.headers
            else {}
        )
        self.names_in_db = {
            (unit_id, key): pk
            for unit_id, key, pk in Facility.objects.filter(
                name_key__in=set(self.name_keys.values()), unit__in=self.communes
            ).values_list("unit_id", "name_key", "pk")
        }
        self.names_in_file = Counter()

    def import_instance(self, instance, row, **kwargs):
        given = row.get(self.fields["id"].column_name)
        if not instance.pk and given not in (None, ""):
            raise ValidationError(
                {"id": f"Không có cơ sở mã {given} trong phạm vi của bạn; để trống để thêm mới."}
            )
        super().import_instance(instance, row, **kwargs)

    def row_rules(self, instance):
        errors = {}
        code = instance.tax_code
        if code:
            if self.codes_in_file[code] > 1:
                errors["tax_code"] = [f"Mã số thuế {code} xuất hiện nhiều lần trong tệp."]
            elif self.codes_in_db.get(code, instance.pk) != instance.pk:
                errors["tax_code"] = [
                    f"Mã số thuế {code} đã có ở cơ sở mã {self.codes_in_db[code]}. Muốn sửa cơ sở "
                    "đó, hãy ghi mã của nó vào cột “Mã cơ sở”."
                ]
        name = instance.name
        key = (instance.unit_id, self.name_keys.get(name) or facility_name_key(name))
        self.names_in_file[key] += 1
        if self.names_in_file[key] > 1:
            errors["name"] = ["Cơ sở cùng tên, cùng xã đã có ở một dòng trên."]
        elif self.names_in_db.get(key, instance.pk) != instance.pk:
            errors["name"] = [
                f"Cơ sở cùng tên đã có ở xã này (mã {self.names_in_db[key]}). Muốn sửa cơ sở đó, "
                "hãy ghi mã của nó vào cột “Mã cơ sở”."
            ]
        return errors

    def bulk_create(self, *args, **kwargs):
        for instance in self.create_instances:
            instance.created_by = self.user
        super().bulk_create(*args, **kwargs)


class SupportRequestResource(PortalResource):
    """New draft requests from a sheet; each row names its facility by the facility's code."""

    facility = fields.Field(attribute="facility", column_name="Mã cơ sở")
    facility_name = fields.Field(column_name="Tên cơ sở (để đối chiếu)", readonly=True)
    year = fields.Field(attribute="year", column_name="Năm kế hoạch", widget=WholeNumberWidget())
    activity_type = fields.Field(attribute="activity_type", column_name="Nội dung hỗ trợ")
    content = fields.Field(attribute="content", column_name="Nội dung đề nghị", widget=TextWidget())
    total_cost = fields.Field(
        attribute="total_cost",
        column_name="Tổng kinh phí (đồng)",
        widget=WholeNumberWidget(money=True),
    )
    counterpart = fields.Field(
        attribute="counterpart",
        column_name="Kinh phí đối ứng (đồng)",
        widget=WholeNumberWidget(money=True, blank=0),
    )
    support_requested = fields.Field(
        attribute="support_requested",
        column_name="Đề nghị hỗ trợ (đồng)",
        widget=WholeNumberWidget(money=True),
    )

    required_columns = (
        "facility",
        "year",
        "activity_type",
        "content",
        "total_cost",
        "support_requested",
    )

    class Meta:
        model = SupportRequest
        fields = (
            "facility",
            "facility_name",
            "year",
            "activity_type",
            "content",
            "total_cost",
            "counterpart",
            "support_requested",
            *SupportRequest.PRIORITY_FLAGS,
        )
        force_init_instance = True
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        clean_model_instances = True

    def __init__(self, *, user):
        super().__init__(user=user)
        for flag in SupportRequest.PRIORITY_FLAGS:
            label = SupportRequest._meta.get_field(flag).verbose_name
            self.fields[flag] = fields.Field(
                attribute=flag, column_name=f"Ưu tiên: {label}", widget=YesNoWidget()
            )
        facilities = Facility.objects.visible_to(user).only("pk", "name")
        self.fields["facility"].widget = LookupWidget(
            [(f, str(f.pk), f.name) for f in facilities], "cơ sở thuộc phạm vi của bạn"
        )
        activities = ActivityType.objects.filter(parent__isnull=False, is_active=True)
        self.fields["activity_type"].widget = LookupWidget(
            [(a, a.code, a.name) for a in activities], "nội dung hỗ trợ"
        )

    def get_queryset(self):
        return SupportRequest.objects.visible_to(self.user)

    def dehydrate_facility(self, request):
        return request.facility_id

    def dehydrate_facility_name(self, request):
        return request.facility.name

    def dehydrate_activity_type(self, request):
        return f"{request.activity_type.code} – {request.activity_type.name}"

    def bulk_create(self, *args, **kwargs):
        for instance in self.create_instances:
            instance.created_by = self.user
        super().bulk_create(*args, **kwargs)


RESOURCES = {"facilities": FacilityResource, "requests": SupportRequestResource}


def run_import(kind, dataset, *, user, dry_run):
    """Preview (dry_run) or apply an import of `kind` ('facilities' or 'requests')."""
    return RESOURCES[kind](user=user).run(dataset, dry_run=dry_run)
