"""Times the import of 10,000 facility rows from an .xlsx file in the template's columns against
openpyxl alone reading the very same file, measured in the same run: read_sheet, the preview
(every row validated, nothing written) and the apply (written with history, committed).
The issue's targets: 10,000 rows in under 10 s, at most 3× openpyxl alone; the number of SQL
queries does not grow with the rows. Runs on a throwaway test database of its own."""

import argparse
import gc
import io
import os
import random
import re
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")

import django

django.setup()

import openpyxl  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from beneficiaries.imports import run_import  # noqa: E402
from beneficiaries.models import Facility  # noqa: E402
from beneficiaries.reference import SECTORS  # noqa: E402
from beneficiaries.workbooks import LISTS, facility_workbook  # noqa: E402
from khuyencong.models import User  # noqa: E402
from khuyencong.spreadsheets import read_sheet  # noqa: E402
from khuyencong.text import search_key  # noqa: E402
from sampledata.bench_words import BRANDS, FAMILY, GIVEN, MIDDLE  # noqa: E402
from sampledata.demo import seed_demo  # noqa: E402
from tests.bench.machine import machine_line  # noqa: E402

BENCH_DB = "khuyencong_bench_import"
ACTING_USER = "officer"  # provincial officer: every commune of the demo province
SEED = 2022
TARGET_SECONDS = 10.0  # for 10,000 rows
TARGET_RATIO = 3.0

# --- A deterministic sheet of valid, varied facilities ----------------------------------------

# The names of people: the same lists as the bench province (sampledata/bench_words.py).
VILLAGES = [
    "Nà Cọ", "Tân Thành", "Bản Phố", "Khâu Vai", "Nậm Đăm", "Bản Mồng", "Lũng Cú",
    "Lò Lô", "Pả Vi", "Sà Phìn", "Nặm Ngặt", "Thượng", "Hạ", "Trung Tâm", "Cốc Pại",
    "Nà Khương", "Vằng Luông", "Phìn Hồ", "Bản Luốc", "Tả Lủng", "Khuổi My", "Nà Chang",
]  # fmt: skip
# sector code → (word in a facility's name, main products)
PRODUCTS = {
    "CBNLS": [
        ("chè", "Chè xanh, chè Shan tuyết"),
        ("mật ong", "Mật ong bạc hà"),
        ("rượu ngô", "Rượu ngô men lá"),
        ("thịt trâu sấy", "Thịt trâu gác bếp"),
        ("miến dong", "Miến dong"),
        ("tam giác mạch", "Bánh, rượu tam giác mạch"),
        ("cam sành", "Cam sành sấy, nước cam"),
        ("xay xát", "Xay xát gạo, ngô"),
        ("chế biến dược liệu", "Thảo quả, đẳng sâm sấy khô"),
    ],
    "VLXD": [
        ("gạch không nung", "Gạch block, gạch không nung"),
        ("đá xây dựng", "Đá hộc, đá dăm"),
        ("bê tông", "Cột, cống bê tông đúc sẵn"),
        ("ngói xi măng", "Ngói xi măng, gạch lát"),
    ],
    "CK": [
        ("cơ khí", "Cửa sắt, khung nhà thép"),
        ("rèn", "Dao, cuốc, lưỡi cày"),
        ("sửa chữa máy nông nghiệp", "Sửa chữa máy cày, máy tuốt lúa"),
        ("gia công inox", "Cửa, lan can inox"),
    ],
    "TCMN": [
        ("thổ cẩm", "Vải thổ cẩm, túi, khăn"),
        ("chạm bạc", "Vòng, khuyên tai bạc"),
        ("làm khèn", "Khèn Mông"),
        ("giấy bản", "Giấy bản thủ công"),
    ],
    "DMT": [
        ("may mặc", "Quần áo bảo hộ lao động"),
        ("dệt lanh", "Vải lanh"),
        ("thêu", "Khăn thêu, váy Mông"),
    ],
    "HC": [
        ("phân vi sinh", "Phân bón hữu cơ vi sinh"),
        ("chế phẩm sinh học", "Chế phẩm xử lý chất thải chăn nuôi"),
    ],
    "DG": [
        ("mộc", "Bàn ghế, tủ, giường gỗ"),
        ("mây tre đan", "Rổ, rá, ghế mây"),
        ("chế biến gỗ", "Ván ghép, cửa gỗ"),
    ],
    "KHAC": [
        ("nước đóng chai", "Nước uống đóng chai"),
        ("in ấn", "In bao bì, nhãn mác"),
        ("nước đá", "Nước đá cây"),
    ],
}
KIND_WEIGHTS = {  # how often each kind appears among rural-industry facilities
    "Hộ kinh doanh": 55,
    "Tổ hợp tác": 8,
    "Hợp tác xã": 15,
    "Doanh nghiệp siêu nhỏ": 13,
    "Doanh nghiệp nhỏ": 7,
    "Doanh nghiệp vừa": 2,
}
MOBILE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097"]
MOBILE_PREFIXES += ["098", "091", "094", "088", "081", "082", "083", "084", "085", "070", "076"]


def tax_codes(existing, start=5100100000):
    """Valid 10-digit Vietnamese tax codes (province prefix 51, check digit), never in
    `existing`, in increasing order."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    number = start // 10
    while True:
        number += 1
        digits = f"{number:09d}"
        check = 10 - sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11
        code = f"{digits}{check}"
        if check < 10 and code not in existing:
            yield code


def phone(rnd):
    if rnd.random() < 0.15:  # a landline: 0219 (Hà Giang) + 7 digits
        return f"0219 {rnd.randint(3800000, 3899999)}"
    digits = rnd.choice(MOBILE_PREFIXES) + f"{rnd.randint(0, 9999999):07d}"
    shape = rnd.random()
    if shape < 0.10:
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    if shape < 0.15:
        return f"+84 {digits[1:4]} {digits[4:7]} {digits[7:]}"
    return digits


def person(rnd):
    sex = "m" if rnd.random() < 0.6 else "f"
    return f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE[sex])} {rnd.choice(GIVEN[sex])}"


def facility_name(rnd, kind, product, owner, village):
    if kind == "Hộ kinh doanh":
        return f"{rnd.choice(['Hộ kinh doanh', 'Cơ sở'])} {product} {owner}"
    if kind == "Tổ hợp tác":
        return f"Tổ hợp tác {product} thôn {village}"
    if kind == "Hợp tác xã":
        return f"Hợp tác xã {product} {rnd.choice([village, rnd.choice(BRANDS)])}"
    form = rnd.choice(["Công ty TNHH", "Công ty TNHH MTV", "Công ty cổ phần"])
    return f"{form} {product} {rnd.choice(BRANDS)}"


def template_lists(content):
    """The allowed values of the template's sheet “Danh mục”: {header: [values]}."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        rows = list(book[LISTS].iter_rows(values_only=True))
    finally:
        book.close()
    return {h: [r[i] for r in rows[1:] if r[i]] for i, h in enumerate(rows[0])}


def facility_rows(count, lists, taken_names, taken_codes):
    """`count` valid rows {header: value}; names unique per commune, tax codes unique."""
    rnd = random.Random(SEED)
    products_by_name = {name: PRODUCTS.get(code) for code, name in SECTORS}
    kinds = list(KIND_WEIGHTS)
    codes = tax_codes(taken_codes)
    used = set(taken_names)
    rows = []
    for _ in range(count):
        kind = rnd.choices(kinds, weights=[KIND_WEIGHTS[k] for k in kinds])[0]
        sector = rnd.choice(lists["Ngành nghề"])
        commune = rnd.choice(lists["Xã, phường, thị trấn"])
        commune_code, commune_name = commune.split(" – ", 1)
        product, products = rnd.choice(products_by_name.get(sector) or [("sản xuất", sector)])
        owner = person(rnd)
        village = rnd.choice(VILLAGES)
        name = facility_name(rnd, kind, product, owner, village)
        while (commune_code, search_key(name)) in used:
            name = facility_name(rnd, kind, product, person(rnd), rnd.choice(VILLAGES))
            if rnd.random() < 0.2:
                name += f" số {rnd.randint(2, 99)}"
        used.add((commune_code, search_key(name)))
        needs_code = kind not in ("Hộ kinh doanh", "Tổ hợp tác")
        has_email = needs_code or rnd.random() < 0.15
        email = search_key(owner).replace(" ", ".") + f"{rnd.randint(1, 999)}@gmail.com"
        rows.append(
            {
                "Mã cơ sở": None,
                "Tên cơ sở": name,
                "Loại hình": kind,
                "Ngành nghề": sector,
                "Xã, phường, thị trấn": commune,
                "Địa chỉ": f"Thôn {village}, {commune_name}",
                "Người đại diện": owner,
                "Mã số thuế": next(codes) if needs_code or rnd.random() < 0.3 else None,
                "Điện thoại": phone(rnd) + (f", {phone(rnd)}" if rnd.random() < 0.05 else ""),
                "Thư điện tử": email if has_email else None,
                "Số lao động": rnd.randint(2, 12)
                if kind == "Hộ kinh doanh"
                else rnd.randint(8, 150),
                "Sản phẩm chính": products,
            }
        )
    return rows


def xlsx_from_template(template, rows, *, shared_strings=True):
    """The template with `rows` filled in under its own headers, saved as Excel saves it
    (or as openpyxl does, with shared_strings=False)."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    for row in rows:
        sheet.append([row[h] for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return with_shared_strings(buffer.getvalue()) if shared_strings else buffer.getvalue()


INLINE_CELL = re.compile(
    rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: [^>]*)?>(.*?)</t></is></c>', re.DOTALL
)
# part → (closing tag, what goes before it): the shared-string table declared to the package
SHARED_STRINGS_PARTS = {
    "[Content_Types].xml": (
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>',
    ),
    "xl/_rels/workbook.xml.rels": (
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>',
    ),
}


def with_shared_strings(content):
    """The text of the first sheet moved to a shared-string table, as Excel, LibreOffice and
    Google Sheets write it (openpyxl writes every text inline, which reads slower: that would
    flatter the import against openpyxl alone). Cell values are unchanged."""
    strings, index = [], {}

    def shared(match):
        text = match.group(3)  # still XML-escaped: copied as it is
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return b'<c %bt="s"%b><v>%d</v></c>' % (match.group(1), match.group(2), index[text])

    source = zipfile.ZipFile(io.BytesIO(content))
    assert "xl/sharedStrings.xml" not in source.namelist()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, cells = INLINE_CELL.subn(shared, data)
            elif info.filename in SHARED_STRINGS_PARTS:
                closing, declaration = SHARED_STRINGS_PARTS[info.filename]
                data = data.replace(closing, declaration + closing)
            target.writestr(info, data)
        table = b"".join(b'<si><t xml:space="preserve">%b</t></si>' % s for s in strings)
        target.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="%d" uniqueCount="%d">%b</sst>' % (cells, len(strings), table),
        )
    return buffer.getvalue()


# --- What is timed ------------------------------------------------------------------------------


def openpyxl_alone(content):
    """The baseline: openpyxl reading the first sheet's values, nothing else."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        return sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
    finally:
        book.close()


def upload(content):
    return SimpleUploadedFile("co-so.xlsx", content)


def check(outcome, rows):
    if outcome.errors or outcome.created != rows:
        for error in outcome.errors[:20]:
            print("error:", *error, file=sys.stderr)
        sys.exit(f"import refused: {len(outcome.errors)} errors, {outcome.created} of {rows} new")


def preview(content, rows, user):
    check(run_import("facilities", read_sheet(upload(content)), user=user, dry_run=True), rows)


def apply(content, rows, user):
    check(run_import("facilities", read_sheet(upload(content)), user=user, dry_run=False), rows)


class FreshState:
    """Removes, outside the timing, the facilities an apply wrote and their history, so that
    every apply starts from the seeded demo; the apply itself commits as in real use."""

    def __init__(self):
        self.last_id = Facility.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.count = Facility.objects.count()
        self.history_count = Facility.history.count()

    def check_written(self, rows):
        written = Facility.objects.count() - self.count
        history = Facility.history.count() - self.history_count
        if written != rows or history != rows:
            sys.exit(f"apply wrote {written} facilities and {history} history rows, not {rows}")

    def restore(self):
        tables = [Facility._meta.db_table, Facility.history.model._meta.db_table]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DELETE FROM {table} WHERE id > %s", [self.last_id])
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")


def timed(measures, repeat):
    """Seconds of `repeat` rounds after one warm-up round; each round runs every measure
    (name → (func, untimed func after it or None)) once, in turn, so that a slower spell of the
    machine weighs on all of them alike; each run starts after a full garbage collection."""
    runs = {name: [] for name in measures}
    for attempt in range(repeat + 1):
        for name, (func, after) in measures.items():
            gc.collect()
            start = time.perf_counter()
            func()
            elapsed = time.perf_counter() - start
            if after:
                after()
            if attempt:
                runs[name].append(elapsed)
    return {
        name: {"p50": statistics.median(r), "min": min(r), "max": max(r)}
        for name, r in runs.items()
    }


def queries_of(func, after=None):
    """The SQL queries `func` runs: how many, and the seconds spent in them (the driver's
    work, the round trips and the server's, commit included)."""
    with CaptureQueriesContext(connection) as queries:
        func()
    if after:
        after()
    return len(queries), sum(float(q["time"]) for q in queries.captured_queries)


def machine():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"{machine_line()}; PostgreSQL {cursor.fetchone()[0].split()[0]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    repeat, count = args.repeat, args.rows
    small = max(count // 10, 1)
    connection.settings_dict["TEST"]["NAME"] = BENCH_DB
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        seed_demo()
        user = User.objects.get(username=ACTING_USER)
        template = facility_workbook(user)
        lists = template_lists(template)
        taken = Facility.objects.values_list("unit__code", "name_key", "tax_code")
        rows = facility_rows(
            count, lists, {(c, k) for c, k, _ in taken}, {t for _, _, t in taken if t}
        )
        content = xlsx_from_template(template, rows)
        small_content = xlsx_from_template(template, rows[:small])
        names = read_sheet(upload(content))["Tên cơ sở"]
        if names != [row["Tên cơ sở"] for row in rows]:
            sys.exit("the file does not read back as written")
        fresh = FreshState()

        def check_and_restore():
            fresh.check_written(count)
            fresh.restore()

        inline = xlsx_from_template(template, rows, shared_strings=False)
        times = timed(
            {
                "openpyxl": (lambda: openpyxl_alone(content), None),
                "openpyxl inline": (lambda: openpyxl_alone(inline), None),
                "read_sheet": (lambda: read_sheet(upload(content)), None),
                "preview": (lambda: preview(content, count, user), None),
                "apply": (lambda: apply(content, count, user), check_and_restore),
            },
            repeat,
        )
        baseline, reading = times["openpyxl"], times["read_sheet"]
        previewing, applying = times["preview"], times["apply"]
        sql = {
            "preview": [
                queries_of(lambda: preview(small_content, small, user)),
                queries_of(lambda: preview(content, count, user)),
            ],
            "apply": [
                queries_of(lambda: apply(small_content, small, user), after=fresh.restore),
                queries_of(lambda: apply(content, count, user), after=fresh.restore),
            ],
        }
        queries = {name: [n for n, _ in runs] for name, runs in sql.items()}
        where = machine()
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)

    print(
        f"machine: {where}; {repeat} runs each, interleaved, after a warm-up; command: make bench\n"
        f"file: {count:,} valid facility rows in the template's columns, text in a shared-string "
        f"table as Excel saves it, {len(content) / 1024:,.0f} KiB; acting user: {ACTING_USER} "
        f"(province), {len(lists['Xã, phường, thị trấn'])} communes"
    )
    print(
        f"{'what':<40}{'p50 s':>8}{'min s':>8}{'max s':>8}{'rows/s':>9}{'× openpyxl':>12}"
        f"   SQL queries at {small:,} / {count:,} rows"
    )
    table = [
        ("baseline: openpyxl alone, same file", baseline, None),
        ("read_sheet (upload checks, NFC)", reading, None),
        ("preview: read_sheet + dry run", previewing, queries["preview"]),
        ("apply: read_sheet + write with history", applying, queries["apply"]),
    ]
    for name, t, counts in table:
        print(
            f"{name:<40}{t['p50']:>8.2f}{t['min']:>8.2f}{t['max']:>8.2f}"
            f"{count / t['p50']:>9,.0f}{t['p50'] / baseline['p50']:>11.2f}×"
            + (f"   {counts[0]} / {counts[1]}" if counts else "")
        )
    print(
        f"where the time goes (p50): reading {reading['p50']:.2f} s, checking the rows "
        f"{previewing['p50'] - reading['p50']:.2f} s (preview − read_sheet), writing "
        f"{applying['p50'] - previewing['p50']:.2f} s (apply − preview); in SQL calls: "
        f"preview {sql['preview'][1][1]:.2f} s, apply {sql['apply'][1][1]:.2f} s (one run each)\n"
        f"note: the same rows as openpyxl writes them (inline text, {len(inline) / 1024:,.0f} KiB) "
        f"take openpyxl alone {times['openpyxl inline']['p50']:.2f} s"
    )
    limit = TARGET_SECONDS * count / 10_000
    for name, t in (("preview", previewing), ("apply", applying)):
        ratio = t["p50"] / baseline["p50"]
        print(
            f"target {name}: {count:,} rows under {limit:g} s: "
            f"{'met' if t['p50'] < limit else 'MISSED'} ({t['p50']:.2f} s); "
            f"at most {TARGET_RATIO:g}× openpyxl alone: "
            f"{'met' if ratio <= TARGET_RATIO else 'MISSED'} ({ratio:.2f}×)"
        )
    # Batches of 1,000 rows add a savepoint (and, on apply, two INSERTs); a query per row would
    # add at least one per row.
    for name, (few, many) in queries.items():
        per_1000 = (many - few) * 1000 / max(count - small, 1)
        print(
            f"target {name}: SQL queries do not grow per row: "
            f"{'met' if per_1000 < 10 else 'MISSED'} (+{per_1000:.1f} per 1,000 rows)"
        )


if __name__ == "__main__":
    main()
