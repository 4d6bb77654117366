"""The demo province's units: Hà Giang in 2022 (province code 02, its ten districts and one city
with their official codes, a few communes each), and from 1 July 2025 its successors in Tuyên
Quang, where the district level no longer exists. Commune codes here are demo codes."""

import datetime

MERGER_DAY = datetime.date(2025, 7, 1)
LAST_OLD_DAY = datetime.date(2025, 6, 30)

PROVINCE = ("02", "Tỉnh Hà Giang")
SUCCESSOR_PROVINCE = ("08", "Tỉnh Tuyên Quang")

# code, name, demo login, communes (code, name)
DISTRICTS = [
    (
        "024",
        "Thành phố Hà Giang",
        "tphagiang",
        [
            ("00688", "Phường Quang Trung"),
            ("00691", "Phường Trần Phú"),
            ("00694", "Phường Nguyễn Trãi"),
            ("00695", "Phường Minh Khai"),
            ("00701", "Xã Phương Thiện"),
        ],
    ),
    (
        "026",
        "Huyện Đồng Văn",
        "dongvan",
        [
            ("00712", "Thị trấn Phó Bảng"),
            ("00715", "Xã Lũng Cú"),
            ("00733", "Thị trấn Đồng Văn"),
        ],
    ),
    (
        "027",
        "Huyện Mèo Vạc",
        "meovac",
        [
            ("00761", "Thị trấn Mèo Vạc"),
            ("00767", "Xã Pả Vi"),
            ("00790", "Xã Khâu Vai"),
        ],
    ),
    (
        "028",
        "Huyện Yên Minh",
        "yenminh",
        [
            ("00802", "Thị trấn Yên Minh"),
            ("00826", "Xã Du Già"),
            ("00811", "Xã Lao Và Chải"),
        ],
    ),
    (
        "029",
        "Huyện Quản Bạ",
        "quanba",
        [
            ("00847", "Thị trấn Tam Sơn"),
            ("00850", "Xã Thanh Vân"),
            ("00862", "Xã Cán Tỷ"),
        ],
    ),
    (
        "030",
        "Huyện Vị Xuyên",
        "vixuyen",
        [
            ("00883", "Thị trấn Vị Xuyên"),
            ("00886", "Thị trấn Việt Lâm"),
            ("00907", "Xã Phong Quang"),
            ("00925", "Xã Tùng Bá"),
        ],
    ),
    (
        "031",
        "Huyện Bắc Mê",
        "bacme",
        [
            ("00949", "Thị trấn Yên Phú"),
            ("00958", "Xã Minh Ngọc"),
            ("00961", "Xã Yên Cường"),
        ],
    ),
    (
        "032",
        "Huyện Hoàng Su Phì",
        "hoangsuphi",
        [
            ("00985", "Thị trấn Vinh Quang"),
            ("01006", "Xã Thông Nguyên"),
            ("00994", "Xã Nậm Ty"),
        ],
    ),
    (
        "033",
        "Huyện Xín Mần",
        "xinman",
        [
            ("01054", "Thị trấn Cốc Pài"),
            ("01057", "Xã Nàn Xỉn"),
            ("01078", "Xã Quảng Nguyên"),
        ],
    ),
    (
        "034",
        "Huyện Bắc Quang",
        "bacquang",
        [
            ("01141", "Thị trấn Việt Quang"),
            ("01144", "Thị trấn Vĩnh Tuy"),
            ("01150", "Xã Hùng An"),
            ("01177", "Xã Tân Quang"),
            ("01183", "Xã Đồng Yên"),
        ],
    ),
    (
        "035",
        "Huyện Quang Bình",
        "quangbinh",
        [
            ("01192", "Thị trấn Yên Bình"),
            ("01204", "Xã Xuân Giang"),
            ("01225", "Xã Tân Trịnh"),
        ],
    ),
]

# From 1 July 2025: new communes of Tuyên Quang and the 2022 communes they took over.
SUCCESSORS = [
    ("T0001", "Phường Hà Giang 1", ["00688", "00691"]),
    ("T0002", "Phường Hà Giang 2", ["00694", "00695", "00701"]),
    ("T0003", "Xã Bắc Quang", ["01141"]),
    ("T0004", "Xã Vĩnh Tuy", ["01144"]),
    ("T0005", "Xã Hùng An", ["01150"]),
    ("T0006", "Xã Tân Quang", ["01177", "01183"]),
]

# Districts on the border with China, and the poor districts (Nghị quyết 30a) of 2022.
BORDER_DISTRICTS = ["026", "027", "028", "029", "030", "032", "033"]
POOR_DISTRICTS = ["026", "027", "028", "029", "031", "032", "033"]
