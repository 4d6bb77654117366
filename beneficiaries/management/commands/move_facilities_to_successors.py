"""`python manage.py move_facilities_to_successors [--mapping FILE.csv] [--split CODE …]
[--unit CODE …] [--dry-run] [--user NAME]`: move the facilities of units that have ended to the
units that took them over (their successor links), each move in the facility's history. Where a
unit split, FILE.csv says where each facility goes (facility id or tax code, unit code); what
cannot be decided is listed, not guessed. Safe to run again."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from beneficiaries.models import Facility
from beneficiaries.services import facilities_move_to_successors
from khuyencong.models import AdministrativeUnit
from khuyencong.scope import parse_pk

from ._acting_user import acting_user, add_user_argument


class Command(BaseCommand):
    help = "Chuyển cơ sở CNNT của các đơn vị hành chính đã kết thúc sang đơn vị kế thừa."

    def add_arguments(self, parser):
        parser.add_argument(
            "--mapping",
            type=Path,
            help="Tệp CSV hai cột: mã cơ sở (id) hoặc mã số thuế; mã đơn vị chuyển đến.",
        )
        parser.add_argument(
            "--split",
            action="append",
            default=[],
            metavar="CODE",
            help="Mã đơn vị đã chia tách: cơ sở của đơn vị này chỉ chuyển theo tệp --mapping.",
        )
        parser.add_argument(
            "--unit",
            action="append",
            default=[],
            metavar="CODE",
            help="Chỉ chuyển cơ sở của đơn vị này (và các đơn vị trực thuộc).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không lưu.")
        add_user_argument(parser)

    def handle(self, *args, mapping, split, unit, dry_run, user, **options):
        user = acting_user(user)
        day = timezone.localdate()
        with transaction.atomic():
            moves = facilities_move_to_successors(
                user=user,
                units=_units(unit) if unit else None,
                mapping=read_mapping(mapping, day) if mapping else None,
                split=[u for code in split for u in _ended_units(code)],
                day=day,
            )
            if dry_run:
                transaction.set_rollback(True)
        verb = "Sẽ chuyển" if dry_run else "Đã chuyển"
        for facility, old, new in moves.moved:
            self.stdout.write(f"{verb}: {facility.name} (id {facility.pk}): {old} → {new}")
        for facility, why in moves.undecided:
            self.stdout.write(f"Chưa chuyển: {facility.name} (id {facility.pk}): {why}")
        self.stdout.write(
            f"{verb} {len(moves.moved)} cơ sở; {len(moves.undecided)} cơ sở chưa xác định được "
            "đơn vị kế thừa."
        )


def _units(codes):
    units = list(AdministrativeUnit.objects.filter(code__in=codes))
    if missing := set(codes) - {u.code for u in units}:
        raise CommandError(f"Không có đơn vị mã {', '.join(sorted(missing))}.")
    return units


def _ended_units(code):
    units = list(AdministrativeUnit.objects.filter(code=code, valid_to__isnull=False))
    if not units:
        raise CommandError(f"Không có đơn vị đã kết thúc mã {code}.")
    return units


def read_mapping(path, day):
    """{facility id: unit} from a CSV file of two columns: the facility (its id, or its tax code)
    and the code of a unit valid on `day`; a first line of headings is skipped. Every line that
    cannot be read is named, and nothing is moved."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            rows = list(csv.reader(file))
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Không đọc được tệp {path}: {error}") from None
    mapping, errors = {}, []
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) < 2:
            errors.append(f"dòng {number}: cần hai cột (cơ sở, mã đơn vị)")
            continue
        key, code = cells[0], cells[1]
        facility = _facility(key)
        if facility is None and number == 1 and not key.isdigit():
            continue  # headings
        unit = AdministrativeUnit.objects.valid_on(day).filter(code=code).first()
        if facility is None:
            errors.append(f"dòng {number}: không có cơ sở “{key}”")
        elif unit is None:
            errors.append(f"dòng {number}: không có đơn vị còn hiệu lực mã “{code}”")
        else:
            mapping[facility.pk] = unit
    if errors:
        raise CommandError("Tệp chuyển có lỗi, chưa chuyển cơ sở nào:\n" + "\n".join(errors))
    return mapping


def _facility(key):
    """The facility named by its id, or by its tax code (10 digits, or 10-3 for a branch)."""
    digits = key.replace("-", "")
    if not digits.isascii() or not digits.isdigit():
        return None
    if len(digits) >= 10:
        return Facility.objects.filter(tax_code=key).first()
    pk = parse_pk(key)
    return Facility.objects.filter(pk=pk).first() if pk else None
