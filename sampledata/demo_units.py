"""The demo province's units: Hà Giang in 2022 (province code 02, its ten districts and one city
with their official codes, a few communes each), and from 1 July 2025 Tuyên Quang (08), which
took it over and has no districts: communes and wards directly under the province. Commune codes
here are demo codes."""

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

# From 1 July 2025: the communes and wards of Tuyên Quang (no districts), each with the 2022
# communes of the demo it took over. Names as in the 2025 arrangement where we know them; the
# codes, and which old commune went where, are demo data. Login: its economic staff's, or None.
SUCCESSORS = [
    ("T0001", "Phường Hà Giang 1", ["00688", "00691"], "hagiang1"),
    ("T0002", "Phường Hà Giang 2", ["00694", "00695", "00701"], None),
    ("T0003", "Xã Bắc Quang", ["01141"], "xabacquang"),
    ("T0004", "Xã Vĩnh Tuy", ["01144"], None),
    ("T0005", "Xã Hùng An", ["01150"], None),
    ("T0006", "Xã Tân Quang", ["01177", "01183"], "xatanquang"),
    ("T0007", "Xã Phó Bảng", ["00712"], None),
    ("T0008", "Xã Lũng Cú", ["00715"], "xalungcu"),
    ("T0009", "Xã Đồng Văn", ["00733"], "xadongvan"),
    ("T0010", "Xã Mèo Vạc", ["00761", "00767"], "xameovac"),
    ("T0011", "Xã Khâu Vai", ["00790"], None),
    ("T0012", "Xã Yên Minh", ["00802", "00811"], None),
    ("T0013", "Xã Du Già", ["00826"], None),
    ("T0014", "Xã Quản Bạ", ["00847", "00850"], None),
    ("T0015", "Xã Cán Tỷ", ["00862"], None),
    ("T0016", "Xã Vị Xuyên", ["00883", "00907"], None),
    ("T0017", "Xã Việt Lâm", ["00886"], None),
    ("T0018", "Xã Tùng Bá", ["00925"], "xatungba"),
    ("T0019", "Xã Bắc Mê", ["00949"], None),
    ("T0020", "Xã Minh Ngọc", ["00958"], None),
    ("T0021", "Xã Yên Cường", ["00961"], None),
    ("T0022", "Xã Hoàng Su Phì", ["00985", "00994"], None),
    ("T0023", "Xã Thông Nguyên", ["01006"], None),
    ("T0024", "Xã Xín Mần", ["01054", "01057"], None),
    ("T0025", "Xã Quảng Nguyên", ["01078"], None),
    ("T0026", "Xã Quang Bình", ["01192"], None),
    ("T0027", "Xã Xuân Giang", ["01204"], None),
    ("T0028", "Xã Tân Trịnh", ["01225"], None),
    # The former Tuyên Quang province's side (its earlier units are not in the demo).
    ("T0101", "Phường Minh Xuân", [], None),
    ("T0102", "Phường Nông Tiến", [], None),
    ("T0103", "Phường An Tường", [], None),
    ("T0104", "Phường Bình Thuận", [], None),
    ("T0105", "Phường Mỹ Lâm", [], "mylam"),
    ("T0106", "Xã Yên Sơn", [], None),
    ("T0107", "Xã Hàm Yên", [], "xahamyen"),
    ("T0108", "Xã Chiêm Hóa", [], None),
    ("T0109", "Xã Na Hang", [], None),
    ("T0110", "Xã Lâm Bình", [], None),
    ("T0111", "Xã Sơn Dương", [], "xasonduong"),
    ("T0112", "Xã Tân Trào", [], None),
]

# Districts on the border with China, and the poor districts (Nghị quyết 30a) of 2022.
BORDER_DISTRICTS = ["026", "027", "028", "029", "030", "032", "033"]
POOR_DISTRICTS = ["026", "027", "028", "029", "031", "032", "033"]
