"""A province across the reform of 1 July 2025, built with factories: Hà Giang with a district
and its communes until 30/06/2025, then Tuyên Quang with communes and no districts. Two old
communes merged into one new commune; a third old commune split (no successor)."""

import datetime
from dataclasses import dataclass

from tests import factories as f

LAST_OLD_DAY = datetime.date(2025, 6, 30)
MERGER_DAY = datetime.date(2025, 7, 1)


@dataclass
class Reform:
    old_province: object
    old_district: object
    old_commune: object  # merged into new_commune
    old_commune_2: object  # merged into new_commune too
    split_commune: object  # split between new_commune and other_new_commune: no successor
    new_province: object
    new_commune: object
    other_new_commune: object


def reformed_province():
    ended = {"valid_to": LAST_OLD_DAY}
    old_province = f.ProvinceFactory(code="02", name="Tỉnh Hà Giang", **ended)
    old_district = f.DistrictFactory(
        code="034", name="Huyện Bắc Quang", parent=old_province, **ended
    )
    new_province = f.ProvinceFactory(code="08", name="Tỉnh Tuyên Quang")
    new_commune = f.CommuneFactory(
        code="T0003", name="Xã Bắc Quang", parent=new_province, valid_from=MERGER_DAY
    )
    other_new_commune = f.CommuneFactory(
        code="T0006", name="Xã Tân Quang", parent=new_province, valid_from=MERGER_DAY
    )
    old = {"parent": old_district, "successor": new_commune, **ended}
    reform = Reform(
        old_province=old_province,
        old_district=old_district,
        old_commune=f.CommuneFactory(code="01141", name="Thị trấn Việt Quang", **old),
        old_commune_2=f.CommuneFactory(code="01144", name="Xã Việt Vinh", **old),
        split_commune=f.CommuneFactory(
            code="01177", name="Xã Tân Thành", parent=old_district, **ended
        ),
        new_province=new_province,
        new_commune=new_commune,
        other_new_commune=other_new_commune,
    )
    old_province.successor = new_province
    old_province.save()
    return reform
