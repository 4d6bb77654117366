"""Peak memory and wall time of the upload checks on hostile files, each checked in a process of
its own (so that its peak is its own), against a real 10,000-row import sheet measured in the
same run. Budgets: every hostile file refused or read within IMPORT_READ_SECONDS plus a second,
under 200 MB of peak memory, and none stored."""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")

MB = 1024 * 1024
MEMORY_BUDGET_MB = 200

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    b'"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    b'formats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    b'formats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b"</Relationships>"
)


def sheet_xml(rows, columns, header_columns=20):
    """A worksheet of `rows` rows under a header of `header_columns` names, each row
    `columns` cells wide (numbers beyond the header, as a hostile sheet pads them)."""
    yield (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><sheetData>'
    )
    header = "".join(
        f'<c t="inlineStr"><is><t>Cột {n}</t></is></c>' for n in range(1, header_columns + 1)
    )
    yield f'<row r="1">{header}</row>'.encode()
    cell = "".join(f"<c><v>{n}</v></c>" for n in range(columns)).encode()
    for r in range(2, rows + 2):
        yield b'<row r="%d">' % r + cell + b"</row>"
    yield b"</sheetData></worksheet>"


def spaces(size):
    """`size` bytes of spaces, a megabyte at a time: inflated parts never held whole here."""
    chunk = b" " * MB
    for _ in range(size // MB):
        yield chunk


def write_part(archive, name, chunks):
    with archive.open(name, "w", force_zip64=True) as part:
        for chunk in chunks:
            part.write(chunk)


def workbook(path, rows, columns, inflated_types=0, extra=()):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        write_part(
            archive, "[Content_Types].xml", [CONTENT_TYPES, *spaces(inflated_types), b"</Types>"]
        )
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        write_part(archive, "xl/worksheets/sheet1.xml", sheet_xml(rows, columns))
        for name, data in extra:
            archive.writestr(name, data)


def zip_of(name, size):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        write_part(archive, name, spaces(size))
    return buffer.getvalue()


def make_files(folder):
    """(name, path, check) of the files: `check` is "import" (read_sheet) or "document"."""
    gib = 1024 * MB  # inflated parts: 1 GiB of spaces packs into about 1 MB
    files = [
        ("baseline: 10,000 rows × 20 columns", "baseline.xlsx", (10_000, 20), "import", {}),
        ("wide: 2,000 rows × 1,000 columns", "wide.xlsx", (2_000, 1_000), "import", {}),
        ("deep: 30,000 rows (over the limit)", "deep.xlsx", (30_000, 20), "import", {}),
        (
            "inflated types part (1 GiB), as an import",
            "inflated.xlsx",
            (10, 20),
            "import",
            {"inflated_types": gib},
        ),
        (
            "inflated types part (1 GiB), as a document",
            "inflated-doc.xlsx",
            (10, 20),
            "document",
            {"inflated_types": gib},
        ),
        (
            "nested: a zip of a 1 GiB part inside",
            "nested.xlsx",
            (10, 20),
            "import",
            {"extra": [("xl/embeddings/inner.zip", zip_of("bomb.bin", gib))]},
        ),
    ]
    made = []
    for label, name, (rows, columns), check, options in files:
        path = Path(folder) / name
        workbook(path, rows, columns, **options)
        made.append((label, path, check))
    return made


def _peak_mb():
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across
    the fork from the parent that made the files)."""
    status = Path("/proc/self/status").read_text()
    line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def check_one(path, check):
    """In this process: the check of one file; prints seconds, peak RSS and the outcome."""
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from khuyencong.spreadsheets import read_sheet
    from khuyencong.uploads import check_upload

    start = _peak_mb()
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    began = time.monotonic()
    try:
        if check == "import":
            rows = read_sheet(upload).height
            outcome = f"read, {rows:,} rows"
        else:
            check_upload(upload)
            outcome = "accepted"
    except ValidationError as refusal:
        outcome = f"refused ({refusal.code})"
    seconds = time.monotonic() - began
    peak = _peak_mb()
    print(json.dumps({"seconds": seconds, "peak": peak, "above": peak - start, "outcome": outcome}))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", nargs=2, metavar=("PATH", "CHECK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return check_one(Path(args.one[0]), args.one[1])

    import django

    django.setup()
    from django.conf import settings

    from tests.bench.machine import machine_line

    time_budget = settings.IMPORT_READ_SECONDS + 1
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as folder:
        files = make_files(folder)
        results = {label: [] for label, _path, _check in files}
        for _round in range(args.repeat):  # in turns, so a busy spell weighs on all
            for label, path, check in files:
                done = subprocess.run(
                    [sys.executable, __file__, "--one", str(path), check],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                results[label].append(json.loads(done.stdout.strip().splitlines()[-1]))
        sizes = {label: path.stat().st_size for label, path, _check in files}
    print(
        f"machine: {machine_line()}; median of {args.repeat} runs, each file in a process of its "
        f"own; budgets: {time_budget:g} s, {MEMORY_BUDGET_MB} MB peak; command: make bench"
    )
    base = statistics.median(r["seconds"] for r in results[files[0][0]])
    print(f"{'file':44} {'size':>8} {'s':>6} {'× base':>7} {'peak MB':>8} {'+MB':>6}  outcome")
    met = True
    for label, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        peak = max(r["peak"] for r in runs)
        above = max(r["above"] for r in runs)
        within = seconds <= time_budget and peak <= MEMORY_BUDGET_MB
        met &= within or label.startswith("baseline")
        print(
            f"{label:44} {sizes[label] / 1024:7,.0f}K {seconds:6.2f} {seconds / base:6.2f}× "
            f"{peak:8.0f} {above:6.0f}  {runs[-1]['outcome']}{'' if within else '  OVER BUDGET'}"
        )
    print(
        f"target: every hostile file within {time_budget:g} s and {MEMORY_BUDGET_MB} MB: "
        f"{'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
