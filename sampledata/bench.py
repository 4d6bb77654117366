"""Bench data: N× a realistic province — facilities, their requests, six years of national and
local plans with schemes, beneficiaries, contracts, payments, inspections and acceptances — over
the two generations of administrative units (before and after 1 July 2025), written with COPY.

Everything comes from random.Random(seed) and the fixed date AS_OF, so one seed always gives the
same rows. Bench provinces are coded "B<seed>" (its successor "B<seed>T"): no real province code
starts with a letter, so they never meet the demo's Hà Giang (02) or Tuyên Quang (08), and each
run first removes the bench data of the runs before it. The places, facilities and requests are
built here, the plans and schemes in bench_schemes.py, the words in bench_words.py.
"""

import bisect
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q

from beneficiaries.models import Document, Facility, Sector, SupportRequest
from beneficiaries.reference import ensure_sectors
from khuyencong.bulk import copy_rows, next_ids
from khuyencong.models import ActivityType, AdministrativeUnit, FundingSource
from khuyencong.reference import ensure_reference_lists
from khuyencong.text import search_key
from schemes.models import (
    Acceptance,
    Contract,
    Disbursement,
    Inspection,
    Plan,
    Scheme,
    SchemeBeneficiary,
    SchemeDocument,
    SchemeItem,
)

from . import bench_words as words
from .bench_schemes import AS_OF, DAY, NEXT_YEAR, YEARS, Programme, in_text
from .demo_units import LAST_OLD_DAY, MERGER_DAY

# Per unit of --scale: one province of ten districts.
PER_SCALE = {"districts": 10, "facilities": 2000, "requests": 5000, "schemes": 500}
COMMUNES_PER_DISTRICT = (12, 18)
BENCH_ROOT_CODE = r"^B[0-9]+T?$"
MAX_SEED = 9999  # "B9999X1234", a commune's code, fills the 10 characters of the field
MAX_SCALE = 60  # commune numbers stay within four digits
TZ = ZoneInfo(settings.TIME_ZONE)
R = SupportRequest.Status
# Requests not in any scheme, by year: what became of them
OPEN_REQUEST_FATES = {
    "past": {R.REJECTED: 75, R.WITHDRAWN: 25},
    YEARS[-1]: {R.REJECTED: 50, R.WITHDRAWN: 10, R.UNDER_REVIEW: 25, R.SUBMITTED: 15},
    NEXT_YEAR: {R.DRAFT: 35, R.SUBMITTED: 45, R.UNDER_REVIEW: 20},
}
# Written parents first, so that each trigger finds the row it checks against.
WRITE_ORDER = [
    AdministrativeUnit,
    Facility,
    SupportRequest,
    Plan,
    Scheme,
    SchemeItem,
    SchemeBeneficiary,
    Contract,
    Disbursement,
    Inspection,
    Acceptance,
]


class BenchRefused(Exception):
    """The bench data cannot be (re)written; the message is for the user, in Vietnamese."""


def generate_bench_data(*, scale, seed):
    """Replace any bench data by `scale`× a province; returns (the province, {model: rows})."""
    if not 0 < scale <= MAX_SCALE:
        raise BenchRefused(f"Hệ số --scale phải lớn hơn 0 và không quá {MAX_SCALE}.")
    if not 0 <= seed <= MAX_SEED:
        raise BenchRefused(f"--seed phải từ 0 đến {MAX_SEED} (mã đơn vị có tối đa 10 ký tự).")
    with transaction.atomic():
        ensure_reference_lists()
        ensure_sectors()
        delete_bench_data()
        province = BenchProvince(scale=scale, seed=seed)
        province.build()
        counts = province.write()
    analyze(WRITE_ORDER)
    return province.old_province, counts


# Writing and removing rows in bulk


class IdPool:
    """Primary keys drawn ahead from each table's own sequence, so that rows can point at each
    other before any is written (COPY gives nothing back). Blocks grow as a table fills, so a
    table of a dozen plans does not use up thousands of numbers."""

    def __init__(self):
        self.free = defaultdict(list)
        self.block = defaultdict(lambda: 64)

    def next(self, model):
        free = self.free[model]
        if not free:
            size = self.block[model]
            self.block[model] = min(size * 4, 65536)
            free.extend(sorted(next_ids(model, size), reverse=True))
        return free.pop()


def copy_objects(model, objects):
    """Write model instances with one COPY. Unlike bulk_create it keeps the created_at we set
    (auto_now_add would overwrite it) and is several times faster. The attributes go to psycopg
    as they are (str, int, bool, date, aware datetime); only a file field needs its name."""
    fields = model._meta.concrete_fields
    attnames = [f.attname for f in fields]
    files = [i for i, f in enumerate(fields) if isinstance(f, models.FileField)]

    def row(obj):
        values = [getattr(obj, name) for name in attnames]
        for i in files:
            values[i] = values[i].name or ""
        return values

    copy_rows(model, map(row, objects))


def analyze(models):
    """What autovacuum would do after such a load, done at once: fresh planner statistics
    (PostgreSQL would otherwise plan the list pages as if the tables were still nearly empty:
    the risk list took 24 s instead of 0.2 s), and the rows that wait in the pending lists of the
    trigram (GIN) indexes moved into them (a search would otherwise read the whole table)."""
    tables = [m._meta.db_table for m in models]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(quote(table) for table in tables)}")
        cursor.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
            "WHERE am.amname = 'gin' AND i.indrelid = ANY(%s::regclass[])",
            [tables],
        )


def delete_bench_data():
    """Remove every bench province written before, whatever its seed, children first, by plain
    DELETEs: the ORM would load each row to write its history. Returns the rows removed."""
    roots = AdministrativeUnit.objects.filter(parent=None, code__regex=BENCH_ROOT_CODE)
    below_roots = Q()
    for path in roots.values_list("path", flat=True):
        below_roots |= Q(path__startswith=path)
    if not below_roots:
        return 0
    units = AdministrativeUnit.objects.filter(below_roots).values("pk")
    _refuse_if_used_elsewhere(units)
    facilities = Facility.objects.filter(unit__in=units).values("pk")
    plans = Plan.objects.filter(unit__in=units).values("pk")
    schemes = Scheme.objects.filter(Q(unit__in=units) | Q(plan__in=plans)).values("pk")
    contracts = Contract.objects.filter(scheme__in=schemes).values("pk")
    ids = {
        name: list(queryset.values_list("pk", flat=True))
        for name, queryset in [
            ("units", units),
            ("facilities", facilities),
            ("plans", plans),
            ("schemes", schemes),
            ("contracts", contracts),
        ]
    }
    steps = [
        (Disbursement, "contract_id", "contracts"),
        (SchemeDocument, "scheme_id", "schemes"),
        (Contract, "scheme_id", "schemes"),
        (Acceptance, "scheme_id", "schemes"),
        (Inspection, "scheme_id", "schemes"),
        (SchemeItem, "scheme_id", "schemes"),
        (SchemeBeneficiary, "scheme_id", "schemes"),
        (Scheme, "id", "schemes"),
        (Plan, "id", "plans"),
        (Document, "facility_id", "facilities"),
        (SupportRequest, "facility_id", "facilities"),
        (Facility, "id", "facilities"),
        (AdministrativeUnit, "id", "units"),  # parents and successors at once: FKs are deferred
    ]
    removed = 0
    with connection.cursor() as cursor:
        for model, column, key in steps:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", [ids[key]])
            removed += cursor.rowcount
    return removed


def _refuse_if_used_elsewhere(units):
    """Users or reports placed in a bench unit are not ours to delete: say so and stop."""
    ours = {AdministrativeUnit, Facility, Plan, Scheme}
    found = []
    for relation in AdministrativeUnit._meta.related_objects:
        model = relation.related_model
        if model not in ours and relation.field.db_constraint:
            count = model._base_manager.filter(**{f"{relation.field.name}__in": units}).count()
            if count:
                found.append(f"{count} {model._meta.verbose_name}")
    if found:
        raise BenchRefused(
            f"Không xóa được dữ liệu thử tải cũ: còn {', '.join(found)} gắn với đơn vị hành "
            "chính của nó. Hãy xóa hoặc chuyển chúng sang đơn vị khác trước."
        )


# Building one province


@dataclass
class Area:
    """An old district: its communes, the new communes they merged into on 1 July 2025, and
    its facilities in order of registration (to pick ones that existed by a given day)."""

    district: AdministrativeUnit
    office: str
    communes: list = field(default_factory=list)
    new_communes: list = field(default_factory=list)
    facilities: list = field(default_factory=list)
    days: list = field(default_factory=list)

    def registered_before(self, day):
        return bisect.bisect_left(self.days, day)


class BenchProvince:
    """The rows of one bench province, built in memory (build()) then written (write()): its
    units, facilities and requests here, its plans and schemes by bench_schemes.Programme,
    which draws on the same random stream and adds to the same rows."""

    def __init__(self, *, scale, seed):
        self.rng = random.Random(seed)
        self.scale = scale
        self.tag = f"B{seed}"
        self.ids = IdPool()
        self.rows = defaultdict(list)
        self.sectors = list(Sector.objects.order_by("code"))
        self.activities = {a.code: a for a in ActivityType.objects.all()}
        self.sources = {s.code: s for s in FundingSource.objects.all()}
        self.layouts = {}  # model → [(attname, default)] of its concrete fields
        self.units = {}  # pk → unit
        self.successor = {}  # old commune pk → new commune
        self.product = {}  # facility pk → (word, products, machine)
        self.areas = []
        self.registered = []  # (day, facility) of the whole province, in order
        self.registered_days = []

    def count(self, what):
        return max(1, round(PER_SCALE[what] * self.scale))

    def new(self, model, **values):
        """A row of `model` with its primary key drawn, kept for write(). Made from positional
        arguments, as Django does when loading rows: its keyword path costs several times more,
        over some 150,000 rows. Foreign keys are given as `<name>_id`."""
        if "created_at" in values:
            values.setdefault("updated_at", values["created_at"])
        values[model._meta.pk.attname] = self.ids.next(model)
        if model not in self.layouts:
            self.layouts[model] = [
                (f.attname, f.get_default()) for f in model._meta.concrete_fields
            ]
        obj = model(*[values.pop(name, default) for name, default in self.layouts[model]])
        if values:
            raise TypeError(f"{model.__name__} has no field {', '.join(values)}")
        self.rows[model].append(obj)
        return obj

    def build(self):
        self._units()
        self._facilities()
        included = Programme(self).build(self.count("schemes"))
        self._open_requests(self.count("requests") - included)

    def write(self):
        for model in WRITE_ORDER:
            objects = self.rows[model]
            for obj in objects:
                obj.prepare_for_save()  # what save() does: NFC text, search_text, name_key
            copy_objects(model, objects)
        return {model: len(self.rows[model]) for model in WRITE_ORDER}

    # Small helpers on the random stream

    def day_between(self, first, last):
        return first + self.rng.randint(0, max(0, (last - first).days)) * DAY

    def moment(self, day):
        """A time in office hours on `day` (never after AS_OF), in the portal's time zone."""
        day = min(day, AS_OF)
        minutes = self.rng.randint(7 * 60 + 30, 17 * 60)
        return datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), TZ)

    def amount(self, low_millions, high_millions):
        """Whole thousands of đồng between the bounds, as estimates are written."""
        return self.rng.randint(low_millions * 1000, high_millions * 1000) * 1000

    def person(self):
        rng = self.rng
        sex = "m" if rng.random() < 0.6 else "f"
        family, middle = rng.choice(words.FAMILY), rng.choice(words.MIDDLE[sex])
        return f"{family} {middle} {rng.choice(words.GIVEN[sex])}"

    def place_name(self, taken):
        rng = self.rng
        while True:
            syllables = words.HIGHLAND_SYLLABLES if rng.random() < 0.5 else words.KINH_SYLLABLES
            first, second = rng.sample(syllables, 2)
            name = f"{first} {second}"
            if name not in taken:
                taken.add(name)
                return name

    # Administrative units

    def _unit(self, code, name, level, parent, **validity):
        unit = self.new(
            AdministrativeUnit,
            code=code,
            name=name,
            level=level,
            parent_id=parent.pk if parent else None,
            **validity,
        )
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        self.units[unit.pk] = unit
        return unit

    def _units(self):
        L = AdministrativeUnit.Level
        names = set()
        old_name, new_name = self.place_name(names), self.place_name(names)
        self.new_province = self._unit(
            f"{self.tag}T", f"Tỉnh {new_name}", L.PROVINCE, None, valid_from=MERGER_DAY
        )
        self.old_province = self._unit(
            self.tag, f"Tỉnh {old_name}", L.PROVINCE, None, valid_to=LAST_OLD_DAY
        )
        self.old_province.successor_id = self.new_province.pk
        communes = 0
        for number in range(1, self.count("districts") + 1):
            area = self._district(number, names)
            for _ in range(self.rng.randint(*COMMUNES_PER_DISTRICT)):
                communes += 1
                area.communes.append(self._commune(area, communes, names))
            self.areas.append(area)
        merged = 0
        for area in self.areas:
            merged = self._merge_communes(area, merged)

    def _district(self, number, names):
        city = number == 1
        name = self.place_name(names)
        district = self._unit(
            f"{self.tag}H{number:03d}",
            f"{'Thành phố' if city else 'Huyện'} {name}",
            AdministrativeUnit.Level.DISTRICT,
            self.old_province,
            valid_to=LAST_OLD_DAY,
        )
        office = "Phòng Kinh tế" if city else "Phòng Kinh tế và Hạ tầng"
        return Area(district=district, office=f"{office} {in_text(district.name)}")

    def _commune(self, area, number, names):
        city = area.district.name.startswith("Thành phố")
        first = not area.communes
        kind = "Phường" if city and self.rng.random() < 0.7 else "Xã"
        if first and not city:
            kind = "Thị trấn"  # every district town has one
        return self._unit(
            f"{self.tag}X{number:04d}",
            f"{kind} {self.place_name(names)}",
            AdministrativeUnit.Level.COMMUNE,
            area.district,
            valid_to=LAST_OLD_DAY,
        )

    def _merge_communes(self, area, merged):
        """Two to four old communes of a district become one new commune under the new province
        (no district level), named after the first of them."""
        old = area.communes
        start = 0
        while start < len(old):
            group = old[start : start + self.rng.choice([2, 3, 3, 4])]
            start += len(group)
            merged += 1
            urban = any(not c.name.startswith("Xã") for c in group)
            bare = group[0].name.split(" ", 1 if group[0].name.startswith(("Xã", "Phường")) else 2)
            new = self._unit(
                f"{self.tag}M{merged:04d}",
                f"{'Phường' if urban else 'Xã'} {bare[-1]}",
                AdministrativeUnit.Level.COMMUNE,
                self.new_province,
                valid_from=MERGER_DAY,
            )
            area.new_communes.append(new)
            for commune in group:
                commune.successor_id = new.pk
                self.successor[commune.pk] = new
        return merged

    def current_unit(self, unit_id):
        """The unit after 1 July 2025 of a commune that existed before (or the unit itself)."""
        return self.successor.get(unit_id) or self.units[unit_id]

    def province_on(self, day):
        return self.old_province if day < MERGER_DAY else self.new_province

    # Facilities

    def _facility_registered(self):
        """Most facilities were there before the plans began; some register during them."""
        if self.rng.random() < 0.8:
            return self.day_between(datetime.date(2015, 1, 5), datetime.date(2020, 12, 28))
        return self.day_between(datetime.date(2021, 1, 4), AS_OF - 30 * DAY)

    def _facilities(self):
        taken = set()
        for number in range(1, self.count("facilities") + 1):
            area = self.rng.choice(self.areas)
            day = self._facility_registered()
            facility = self._facility(number, area, day, taken)
            area.facilities.append((day, facility))
            self.registered.append((day, facility))
        by_day = lambda row: row[0]  # noqa: E731 — stable: ties keep their order of creation
        for area in self.areas:
            area.facilities.sort(key=by_day)
            area.days = [day for day, _f in area.facilities]
        self.registered.sort(key=by_day)
        self.registered_days = [day for day, _f in self.registered]

    def _facility(self, number, area, day, taken):
        rng = self.rng
        kinds = list(words.KIND_WEIGHTS)
        kind = rng.choices(kinds, weights=list(words.KIND_WEIGHTS.values()))[0]
        # registered after the merger: in a new commune, with no district in its address
        commune = rng.choice(area.new_communes if day >= MERGER_DAY else area.communes)
        sector = rng.choice(self.sectors)
        product = rng.choice(words.PRODUCTS[sector.code])
        owner = self.person()
        village = f"{rng.choice(['Thôn', 'Bản', 'Tổ'])} {self.place_name(set())}"
        name = self._facility_name(kind, product[0], owner, village)
        while (commune.pk, name) in taken:  # the same name twice in a commune reads as a duplicate
            name = self._facility_name(kind, product[0], self.person(), village)
            name += f" số {rng.randint(2, 99)}"
        taken.add((commune.pk, name))
        registered = kind != Facility.Kind.HOUSEHOLD or rng.random() < 0.3
        district = area.district.name if day < MERGER_DAY else ""
        facility = self.new(
            Facility,
            name=name,
            kind=kind,
            sector_id=sector.pk,
            unit_id=commune.pk,
            address=", ".join(p for p in (village, commune.name, district) if p),
            owner_name=owner,
            tax_code=f"52{number:08d}" if registered else "",
            phone=rng.choice(words.MOBILE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}",
            email=f"{search_key(owner).replace(' ', '.')}.{number}@gmail.com" if registered else "",
            workers=rng.randint(2, 12) if kind == Facility.Kind.HOUSEHOLD else rng.randint(8, 150),
            products=product[1],
            created_at=self.moment(day),
        )
        self.product[facility.pk] = product
        return facility

    def _facility_name(self, kind, product, owner, village):
        rng = self.rng
        if kind == Facility.Kind.HOUSEHOLD:
            return f"{rng.choice(['Hộ kinh doanh', 'Cơ sở'])} {product} {owner}"
        if kind == Facility.Kind.COOP_GROUP:
            return f"Tổ hợp tác {product} {in_text(village)}"
        if kind == Facility.Kind.COOPERATIVE:
            return f"Hợp tác xã {product} {rng.choice(words.BRANDS)}"
        form = rng.choice(["Công ty TNHH", "Công ty TNHH MTV", "Công ty cổ phần"])
        return f"{form} {product} {rng.choice(words.BRANDS)}"

    # Requests

    def request(self, facility, year, activity, asked, counterpart, status, written):
        """A facility's request for `year`'s plan, written on `written` and now at `status`;
        the programme makes the included ones, with the schemes that took them."""
        rng = self.rng
        likely = 0.55 if status == R.INCLUDED else 0.3  # chosen ones meet more priorities
        word, _products, machine = self.product[facility.pk]
        submitted = None
        if status != R.DRAFT and (status != R.WITHDRAWN or rng.random() < 0.5):
            submitted = self.moment(written + rng.randint(1, 20) * DAY)
        return self.new(
            SupportRequest,
            facility_id=facility.pk,
            year=year,
            activity_type_id=self.activities[activity].pk,
            content=words.FACILITY_ACTIVITIES[activity][1].format(machine=machine, product=word),
            total_cost=asked + counterpart,
            support_requested=asked,
            counterpart=counterpart,
            status=status,
            reject_reason=rng.choice(words.REJECT_REASONS) if status == R.REJECTED else "",
            submitted_at=submitted,
            created_at=self.moment(written),
            **{flag: rng.random() < likely for flag in SupportRequest.PRIORITY_FLAGS},
        )

    def _open_requests(self, count):
        """Requests that no scheme took: refused or withdrawn in past years, still in review for
        this year's plan, being written for next year's."""
        rng = self.rng
        years = [*YEARS, NEXT_YEAR]
        codes = list(words.FACILITY_ACTIVITIES)
        weights = [words.FACILITY_ACTIVITIES[c][0] for c in codes]
        for _ in range(max(0, count)):
            year = rng.choices(years, weights=[2] * len(YEARS) + [1])[0]
            if year == NEXT_YEAR:
                written = self.day_between(datetime.date(year - 1, 3, 1), AS_OF - 5 * DAY)
            else:
                written = self.day_between(
                    datetime.date(year - 1, 3, 1), datetime.date(year - 1, 5, 20)
                )
            fates = OPEN_REQUEST_FATES.get(year, OPEN_REQUEST_FATES["past"])
            status = rng.choices(list(fates), weights=list(fates.values()))[0]
            known = bisect.bisect_left(self.registered_days, written)
            facility = self.registered[rng.randrange(max(1, known))][1]  # 0 only at a tiny scale
            asked = self.amount(30, 400)
            counterpart = asked * rng.randint(50, 200) // 100_000 * 1000
            activity = rng.choices(codes, weights=weights)[0]
            self.request(facility, year, activity, asked, counterpart, status, written)
