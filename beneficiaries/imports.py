"""Facilities and support requests from and to spreadsheets.

An import runs in two steps: a preview (every row checked, nothing written) and, once the user
confirms, the same import for real in one transaction — any error and nothing is written.

The Resource classes (django-import-export) name the columns and their cell widgets; exports and
templates use them as the library means. Imports go through our own loop instead of the
library's import_data (beneficiaries.sheetimport): here each import adds its lists to look cells
up in and its duplicate rules. Related rows and duplicates are found in dictionaries filled once
per import, so the number of queries does not grow with the rows.
"""

import contextlib
from collections import Counter

from django.core.exceptions import ValidationError
from import_export import fields

from khuyencong.models import ActivityType

from .cells import LookupWidget, TextWidget, WholeNumberWidget, YesNoWidget
from .forms import communes_for
from .models import Facility, Sector, SupportRequest, facility_name_key
from .sheetimport import ImportOutcome, ImportRefused, PortalResource
from .validation import clean_tax_code

__all__ = [
    "FacilityResource",
    "ImportOutcome",
    "ImportRefused",
    "SupportRequestResource",
    "run_import",
]


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
    id_field = "id"
    update_fields = (*Facility.ENTRY_FIELDS, "search_text", "name_key", "updated_at")

    class Meta:
        model = Facility
        fields = ("id", *Facility.ENTRY_FIELDS)

    def get_queryset(self):
        return Facility.objects.visible_to(self.user)

    def dehydrate_unit(self, facility):
        unit = facility.unit
        return f"{unit.code} – {unit.name}"

    def dehydrate_sector(self, facility):
        return facility.sector.name

    def dehydrate_kind(self, facility):
        return facility.get_kind_display()

    def set_up(self, sheet):
        kinds = Facility.Kind.choices
        self.fields["kind"].widget = LookupWidget(
            [(value, value, label) for value, label in kinds], "loại hình", labels=dict(kinds)
        )
        sectors = Sector.objects.filter(is_active=True)
        self.fields["sector"].widget = LookupWidget(
            [(s, s.code, s.name) for s in sectors], "ngành nghề", labels={}
        )
        user = self.user
        communes = list(communes_for(user)) if user.unit_id or user.sees_everything else []
        self.fields["unit"].widget = LookupWidget(
            [(u, u.code, u.name) for u in communes]
            + [(u, f"{u.name} – {u.parent.name}", None) for u in communes if u.parent],
            "xã, phường, thị trấn thuộc phạm vi của bạn",
        )
        self.set_up_duplicates(sheet, communes)

    def set_up_duplicates(self, sheet, communes):
        """Tax codes and names (by commune) already in the file or the database, for
        row_rules: two queries."""
        codes = []
        for value in sheet.column(self.fields["tax_code"].column_name):
            # A cell that cannot be read is an error on its own line; it names no tax code.
            with contextlib.suppress(ValueError, ValidationError):
                codes.append(clean_tax_code(TextWidget().clean(value)))
        self.codes_in_file = Counter(c for c in codes if c)
        self.codes_in_db = dict(
            Facility.objects.filter(tax_code__any_of=list(self.codes_in_file)).values_list(
                "tax_code", "pk"
            )
        )
        # name → its key, for row_rules too: most names reach it exactly as the sheet has them.
        names = sheet.column(self.fields["name"].column_name)
        self.name_keys = {name: facility_name_key(name) for name in names}
        self.names_in_db = {
            (unit_id, key): pk
            for unit_id, key, pk in Facility.objects.filter(
                name_key__any_of=list(set(self.name_keys.values())), unit__in=communes
            ).values_list("unit_id", "name_key", "pk")
        }
        self.names_in_file = Counter()

    def existing(self, sheet):
        ids = set()
        for value in sheet.column(self.fields["id"].column_name):
            with contextlib.suppress(ValueError):  # said on the row's line
                ids.add(self.fields["id"].widget.clean(value))
        ids.discard(None)
        if not ids:
            return {}
        # The preview shows the old sector and commune by name: read them with the rows.
        rows = self.get_queryset().select_related("sector", "unit").filter(pk__any_of=list(ids))
        return {row.pk: row for row in rows}

    def unknown_id(self, given):
        return f"Không có cơ sở mã {given} trong phạm vi của bạn; để trống để thêm mới."

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

    def __init__(self, *, user):
        super().__init__(user=user)
        for flag in SupportRequest.PRIORITY_FLAGS:
            label = SupportRequest._meta.get_field(flag).verbose_name
            self.fields[flag] = fields.Field(
                attribute=flag, column_name=f"Ưu tiên: {label}", widget=YesNoWidget()
            )

    def get_queryset(self):
        return SupportRequest.objects.visible_to(self.user)

    def dehydrate_facility(self, request):
        return request.facility_id

    def dehydrate_facility_name(self, request):
        return request.facility.name

    def dehydrate_activity_type(self, request):
        return f"{request.activity_type.code} – {request.activity_type.name}"

    def set_up(self, sheet):
        facilities = Facility.objects.visible_to(self.user).only("pk", "name")
        self.fields["facility"].widget = LookupWidget(
            [(f, str(f.pk), f.name) for f in facilities], "cơ sở thuộc phạm vi của bạn"
        )
        activities = ActivityType.objects.filter(
            parent__isnull=False, is_active=True, for_facilities=True
        )
        self.fields["activity_type"].widget = LookupWidget(
            [(a, a.code, a.name) for a in activities], "nội dung hỗ trợ"
        )


RESOURCES = {"facilities": FacilityResource, "requests": SupportRequestResource}


def run_import(kind, dataset, *, user, dry_run):
    """Preview (dry_run) or apply an import of `kind` ('facilities' or 'requests')."""
    return RESOURCES[kind](user=user).run(dataset, dry_run=dry_run)
