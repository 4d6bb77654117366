"""The demo carried on to today: Tỉnh Tuyên Quang after the merger of 1 July 2025, its communes'
economic staff, the 2026 plans (national and local) at the stages a December finds them, and the
2027 requests the communes are gathering. Every step goes through the services, as in 2022.
Names, tax codes and decision numbers are made up for the demo; every date is before December
2026, so that no fact lies in the future on the demo's today."""

import datetime

from beneficiaries.models import Facility, Sector
from khuyencong.models import AdministrativeUnit, FundingSource, User
from khuyencong.saving import authored
from schemes.models import Plan

from . import demo_units as units
from .demo import Era, _user, load_plan, load_requests
from .demo_data import ACCEPTED, AWAITING, CONTRACTED, IN_PROGRESS, SUBMITTED

D = datetime.date
CENTRE = "Trung tâm Khuyến công tỉnh Tuyên Quang"
PROVINCE_NAME = "tỉnh Tuyên Quang"

# key: name, kind, sector, commune (a today's code), owner, tax code, phone, workers, products
FACILITIES = {
    "che_tung_ba": (
        "Hợp tác xã chè Shan tuyết Tùng Bá",
        "cooperative",
        "CBNLS",
        "T0018",
        "Vương Văn Dìn",
        "5100623451",
        "0987123401",
        25,
        "Chè Shan tuyết, hồng trà",
    ),
    "che_xanh_tan_quang": (
        "Hộ kinh doanh chè xanh Tân Quang",
        "household",
        "CBNLS",
        "T0006",
        "Lương Thị Hoa",
        "5100623452",
        "0987123402",
        7,
        "Chè xanh",
    ),
    "che_my_lam": (
        "Công ty cổ phần chè Mỹ Lâm",
        "small",
        "CBNLS",
        "T0105",
        "Đỗ Quang Minh",
        "5000623453",
        "0987123403",
        48,
        "Chè đen, chè xanh xuất khẩu",
    ),
    "co_khi_bac_quang": (
        "Công ty TNHH Cơ khí Bắc Quang",
        "micro",
        "CK",
        "T0003",
        "Trần Văn Lâm",
        "5100623454",
        "0987123404",
        14,
        "Máy sao chè, khung nhà thép",
    ),
    "cam_ham_yen": (
        "Hợp tác xã cam sành Hàm Yên",
        "cooperative",
        "CBNLS",
        "T0107",
        "Ma Văn Thắng",
        "5000623455",
        "0987123405",
        30,
        "Cam sành, nước cam ép",
    ),
    "mat_ong_meo_vac": (
        "Hộ kinh doanh mật ong bạc hà Mèo Vạc",
        "household",
        "CBNLS",
        "T0010",
        "Giàng Seo Páo",
        "5100623457",
        "0987123407",
        5,
        "Mật ong bạc hà",
    ),
    "may_tre_son_duong": (
        "Hợp tác xã mây tre đan Sơn Dương",
        "cooperative",
        "DG",
        "T0111",
        "Nguyễn Thị Lan",
        "5000623458",
        "0987123408",
        35,
        "Rổ, rá, giỏ mây tre",
    ),
    "go_yen_son": (
        "Hợp tác xã chế biến gỗ rừng trồng Yên Sơn",
        "cooperative",
        "DG",
        "T0106",
        "Hoàng Văn Thụ",
        "5000623459",
        "0987123409",
        40,
        "Ván ghép, đồ gỗ gia dụng",
    ),
}

NATIONAL_PLAN = {
    "title": "Kế hoạch khuyến công quốc gia năm 2026 tỉnh Tuyên Quang",
    "approving_body": "Bộ Công Thương",
    "decision_number": "118/QĐ-BCT",
    "decision_date": D(2026, 1, 20),
    "budget": 900_000_000,
}
LOCAL_PLAN = {
    "title": "Kế hoạch khuyến công địa phương năm 2026 tỉnh Tuyên Quang",
    "approving_body": "Ủy ban nhân dân tỉnh Tuyên Quang",
    "decision_number": "205/QĐ-UBND",
    "decision_date": D(2026, 2, 10),
    "budget": 1_000_000_000,
}
DRAFT_PLAN_2027 = {
    "title": "Kế hoạch khuyến công địa phương năm 2027 tỉnh Tuyên Quang",
    "approving_body": "Ủy ban nhân dân tỉnh Tuyên Quang",
    "budget": 1_200_000_000,
}

# As in demo_data: code, title, kind, activity, unit code, start, end, budget, stage,
# beneficiaries [(facility, support, counterpart)], items [(activity, description, amount,
# counterpart)]
NATIONAL_SCHEMES = [
    (
        "QG-2026-01",
        "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào chế biến chè tại các xã Tùng Bá, Tân "
        "Quang và phường Mỹ Lâm",
        "group",
        "03.3",
        "08",
        D(2026, 4, 1),
        D(2026, 12, 20),
        600_000_000,
        IN_PROGRESS,
        [
            ("che_tung_ba", 250_000_000, 300_000_000),
            ("che_xanh_tan_quang", 150_000_000, 200_000_000),
            ("che_my_lam", 200_000_000, 260_000_000),
        ],
        [],
    ),
    (
        "QG-2026-02",
        "Hỗ trợ ứng dụng dây chuyền gia công cơ khí tại Công ty TNHH Cơ khí Bắc Quang",
        "single",
        "03.3",
        "T0003",
        D(2026, 4, 1),
        D(2026, 9, 30),
        280_000_000,
        ACCEPTED,
        [("co_khi_bac_quang", 280_000_000, 320_000_000)],
        [],
    ),
]

LOCAL_SCHEMES = [
    (
        "ĐP-2026-01",
        "Hỗ trợ máy ép, đóng chai nước cam tại HTX cam sành Hàm Yên",
        "single",
        "03.3",
        "T0107",
        D(2026, 5, 4),
        D(2026, 12, 25),
        150_000_000,
        CONTRACTED,
        [("cam_ham_yen", 150_000_000, 180_000_000)],
        [],
    ),
    (
        "ĐP-2026-02",
        "Hỗ trợ máy dệt, máy se sợi lanh tại HTX thổ cẩm Lũng Cú",
        "single",
        "03.3",
        "T0008",
        D(2026, 5, 4),
        D(2026, 12, 15),
        90_000_000,
        IN_PROGRESS,
        [("tho_cam_lung_cu", 90_000_000, 100_000_000)],
        [],
    ),
    (
        "ĐP-2026-03",
        "Hỗ trợ xây dựng nhãn hiệu mật ong bạc hà Mèo Vạc",
        "single",
        "04.3",
        "T0010",
        D(2026, 6, 1),
        D(2026, 12, 20),
        60_000_000,
        SUBMITTED,  # the manager has it waiting for his approval
        [("mat_ong_meo_vac", 60_000_000, 40_000_000)],
        [],
    ),
    (
        "ĐP-2026-04",
        "Hỗ trợ máy chẻ nan, máy vót tăm tại HTX mây tre đan Sơn Dương",
        "single",
        "03.3",
        "T0111",
        D(2026, 4, 15),
        D(2026, 10, 31),
        120_000_000,
        AWAITING,
        [("may_tre_son_duong", 120_000_000, 150_000_000)],
        [],
    ),
    (
        "ĐP-2026-05",
        "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2026",
        "single",
        "04.1",
        "08",
        D(2026, 6, 1),
        D(2026, 12, 20),
        250_000_000,
        CONTRACTED,
        [],
        [],
    ),
    (
        "ĐP-2026-06",
        "Nhiệm vụ chi phục vụ công tác quản lý, kiểm tra, giám sát khuyến công 2026",
        "task",
        "09.2",
        "08",
        D(2026, 3, 15),
        D(2026, 12, 31),
        90_000_000,
        IN_PROGRESS,
        [],
        [],
    ),
]

FLOOD = (
    "Mưa lũ cuối tháng 8/2026 làm sạt lở đường vào thôn Nà Lũng; máy sao chè của HTX Tùng Bá "
    "chưa vận chuyển, lắp đặt được."
)

# Requests for the 2027 plan that the communes are gathering: (facility, activity, asked, cost,
# flags, step[, reason of a rejection])
REQUESTS_2027 = [
    ("che_tung_ba", "04.3", 80_000_000, 160_000_000, ("local_strength",), "submitted"),
    (
        "mat_ong_meo_vac",
        "03.3",
        100_000_000,
        220_000_000,
        ("local_strength", "new_technology"),
        "submitted",
    ),
    ("cam_ham_yen", "04.5", 40_000_000, 80_000_000, ("new_product",), "under_review"),
    ("may_tre_son_duong", "01.1", 70_000_000, 100_000_000, ("labour_intensive",), "draft"),
    (
        "che_xanh_tan_quang",
        "03.3",
        120_000_000,
        250_000_000,
        (),
        "rejected",
        "Cơ sở đang thụ hưởng đề án QG-2026-01 cùng nội dung; xin đăng ký lại sau khi nghiệm thu.",
    ),
    ("co_khi_bac_quang", "03.2", 150_000_000, 400_000_000, ("new_technology",), "submitted"),
]

# The communes' economic staff (cán bộ phòng Kinh tế xã / phường): family name, given names.
COMMUNE_STAFF = {
    "hagiang1": ("Nguyễn", "Thị Hằng"),
    "xabacquang": ("Trần", "Văn Đức"),
    "xatanquang": ("Hoàng", "Thị Nga"),
    "xalungcu": ("Vàng", "Mí Sình"),
    "xadongvan": ("Lò", "Thị Dung"),
    "xameovac": ("Sùng", "Văn Chứ"),
    "xatungba": ("Phạm", "Văn Tuấn"),
    "mylam": ("Đặng", "Thị Thu"),
    "xahamyen": ("Ma", "Thị Hiền"),
    "xasonduong": ("Lê", "Văn Sơn"),
}


def load_today(staff, facilities_2022, activity):
    """Today's province, its commune logins, 2026 and 2027; returns the new logins."""
    province = AdministrativeUnit.objects.latest_with_code(units.SUCCESSOR_PROVINCE[0])
    communes = {u.code: u for u in AdministrativeUnit.objects.filter(parent=province)}
    commune_staff = _load_commune_staff(communes)
    by_unit = {user.unit_id: user for user in commune_staff}
    facilities = {**facilities_2022, **_load_facilities(communes, staff["officer"])}

    successor = dict(
        AdministrativeUnit.objects.filter(successor__isnull=False).values_list("pk", "successor")
    )

    def requester(facility):
        """Today's staff of the facility's commune, or of the commune that took it over."""
        unit_id = facility.unit_id
        return by_unit.get(unit_id) or by_unit[successor[unit_id]]

    era = Era(
        year=2026,
        centre=CENTRE,
        inspectors=f"{CENTRE}; Phòng Kinh tế xã",
        committee=f"Sở Công Thương tỉnh Tuyên Quang; {CENTRE}; Ủy ban nhân dân xã; đại diện cơ "
        "sở thụ hưởng",
        requester=requester,
        problems={"QG-2026-01": (D(2026, 8, 28), FLOOD)},
        event_party="Công ty TNHH Truyền thông và Sự kiện Tuyên Quang",
        task_party=f"Phòng Quản lý khuyến công, {CENTRE}",
    )
    for source, plan_data, schemes in (
        ("KCQG", NATIONAL_PLAN, NATIONAL_SCHEMES),
        ("KCDP", LOCAL_PLAN, LOCAL_SCHEMES),
    ):
        load_plan(province, source, plan_data, schemes, 2026, staff, facilities, activity, era)
    load_requests(REQUESTS_2027, 2027, facilities, activity, staff["officer"], requester)
    Plan.objects.get_or_create(
        unit=province,
        year=2027,
        funding_source=FundingSource.objects.get(code="KCDP"),
        defaults=DRAFT_PLAN_2027,
    )
    return commune_staff


def _load_commune_staff(communes):
    users = []
    for code, name, _old, login in units.SUCCESSORS:
        if login:
            last, first = COMMUNE_STAFF[login]
            kind = "phường" if name.startswith("Phường") else "xã"
            users.append(
                _user(
                    login,
                    User.Role.DISTRICT,
                    communes[code],
                    first,
                    last,
                    job_title=f"Công chức Phòng Kinh tế {kind}",
                )
            )
    return users


def _load_facilities(communes, officer):
    sectors = {s.code: s for s in Sector.objects.all()}
    result = {}
    for key, row in FACILITIES.items():
        name, kind, sector, commune, owner, tax_code, phone, workers, products = row
        unit = communes[commune]
        facility = Facility.objects.filter(name=name, unit=unit).first()
        if facility is None:
            facility = Facility(
                name=name,
                kind=kind,
                sector=sectors[sector],
                unit=unit,
                owner_name=owner,
                tax_code=tax_code,
                phone=phone,
                workers=workers,
                products=products,
                address=f"{unit.name}, {PROVINCE_NAME}",
                created_by=officer,
            )
            facility.full_clean()
            authored(facility, officer).save()
        result[key] = facility
    return result
