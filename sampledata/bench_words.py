"""The Vietnamese words the bench data (sampledata/bench.py) is made of: place and person names,
products and machines by sector, and what officers write in inspections, acceptances and
refusals. Made up, but shaped like a northern mountain province's records."""

# Place names are two syllables: Kinh-style ones, and ones from the highland languages.
KINH_SYLLABLES = [
    "An", "Bắc", "Bình", "Cao", "Đông", "Đồng", "Hà", "Hòa", "Hồng", "Hưng", "Kim", "Lạc",
    "Lâm", "Linh", "Long", "Minh", "Nam", "Nghĩa", "Ngọc", "Phong", "Phú", "Phúc", "Quang",
    "Quảng", "Sơn", "Tân", "Tây", "Thái", "Thanh", "Thành", "Thuận", "Thượng", "Tiến", "Trung",
    "Tùng", "Văn", "Việt", "Vĩnh", "Xuân", "Yên",
]  # fmt: skip
HIGHLAND_SYLLABLES = [
    "Bản", "Cán", "Chải", "Chí", "Hồ", "Khâu", "Lao", "Lùng", "Lũng", "Mậu", "Mù", "Nà",
    "Nậm", "Pả", "Pản", "Phìn", "Sà", "Sán", "Sủng", "Tả", "Thèn", "Thầu", "Tủng", "Vài",
    "Xín", "Cốc", "Khuổi", "Nặm", "Phố", "Lử",
]  # fmt: skip

FAMILY = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Lý", "Giàng",
    "Sùng", "Vàng", "Lò", "Nông", "Ma", "Hầu", "Thào", "Mua", "Lù", "Triệu", "Bàn", "Phàn",
]  # fmt: skip
MIDDLE = {
    "m": ["Văn", "Đức", "Minh", "Seo", "Mí", "Quốc", "Xuân", "Hữu", "Chẩn", "Thanh"],
    "f": ["Thị", "Thị Thu", "Thị Hồng", "Thị Mai", "Thị Ngọc", "Thị Kim", "Mỹ"],
}
GIVEN = {
    "m": [
        "Páo", "Chứ", "Dế", "Hùng", "Tuấn", "Dũng", "Sình", "Lử", "Chá", "Pó", "Thắng",
        "Quang", "Hải", "Long", "Sơn", "Tài", "Phong", "Khánh", "Mạnh", "Cường", "Chính",
    ],
    "f": [
        "Mỷ", "Dợ", "Lan", "Hoa", "Mai", "Hương", "Thảo", "Sính", "Dí", "Vân", "Hằng",
        "Ngân", "Linh", "Nhung", "Xuân", "Dung",
    ],
}  # fmt: skip

BRANDS = [
    "Cao Nguyên Đá", "Phúc Lâm", "Tân An", "Minh Phát", "Hưng Thịnh", "Sơn Hà", "Đồng Tâm",
    "An Khang", "Việt Bắc", "Lô Giang", "Thành Công", "Hoàng Long", "Bình Minh", "Phú Cường",
    "Trường Sơn", "Đại Phát", "Mã Pì Lèng", "Tây Côn Lĩnh", "Quang Minh", "Hồng Hà",
]  # fmt: skip

# sector code → [(word in a facility's name, its main products, the machine a scheme buys)]
PRODUCTS = {
    "CBNLS": [
        ("chè", "Chè xanh, chè Shan tuyết", "máy sao, vò chè liên hoàn"),
        ("mật ong", "Mật ong bạc hà", "máy quay mật, máy chiết rót"),
        ("rượu ngô", "Rượu ngô men lá", "hệ thống nồi chưng cất rượu"),
        ("thịt trâu sấy", "Thịt trâu gác bếp", "tủ sấy, máy hút chân không"),
        ("miến dong", "Miến dong", "máy tráng, máy cắt miến"),
        ("tam giác mạch", "Bánh, rượu tam giác mạch", "máy nghiền bột, lò nướng bánh"),
        ("cam sành", "Cam sành sấy, nước cam", "máy ép, máy đóng chai nước cam"),
        ("xay xát", "Xay xát gạo, ngô", "máy xay xát liên hoàn"),
        ("dược liệu", "Thảo quả, đẳng sâm sấy khô", "lò sấy dược liệu"),
    ],
    "VLXD": [
        ("gạch không nung", "Gạch block, gạch không nung", "máy ép gạch không nung"),
        ("đá xây dựng", "Đá hộc, đá dăm", "máy nghiền sàng đá"),
        ("bê tông", "Cột, cống bê tông đúc sẵn", "máy trộn, máy rung bê tông"),
        ("ngói xi măng", "Ngói xi măng, gạch lát", "máy ép ngói"),
    ],
    "CK": [
        ("cơ khí", "Cửa sắt, khung nhà thép", "máy cắt, máy chấn tôn"),
        ("rèn", "Dao, cuốc, lưỡi cày", "búa máy, lò rèn"),
        ("sửa chữa máy nông nghiệp", "Sửa chữa máy cày, máy tuốt lúa", "máy tiện, máy phay"),
        ("gia công inox", "Cửa, lan can inox", "máy hàn, máy uốn ống inox"),
    ],
    "TCMN": [
        ("thổ cẩm", "Vải thổ cẩm, túi, khăn", "khung dệt, máy may công nghiệp"),
        ("chạm bạc", "Vòng, khuyên tai bạc", "máy đánh bóng, lò nung bạc"),
        ("làm khèn", "Khèn Mông", "máy khoan, máy bào gỗ cầm tay"),
        ("giấy bản", "Giấy bản thủ công", "máy nghiền bột giấy"),
    ],
    "DMT": [
        ("may mặc", "Quần áo bảo hộ lao động", "máy may công nghiệp, máy vắt sổ"),
        ("dệt lanh", "Vải lanh", "máy se sợi, khung dệt"),
        ("thêu", "Khăn thêu, váy Mông", "máy thêu vi tính"),
    ],
    "HC": [
        ("phân vi sinh", "Phân bón hữu cơ vi sinh", "máy trộn, máy đóng bao phân bón"),
        ("chế phẩm sinh học", "Chế phẩm xử lý chất thải chăn nuôi", "thiết bị lên men"),
    ],
    "DG": [
        ("mộc", "Bàn ghế, tủ, giường gỗ", "máy bào, máy cưa bàn trượt"),
        ("mây tre đan", "Rổ, rá, ghế mây", "máy chẻ nan, máy vót nan"),
        ("chế biến gỗ", "Ván ghép, cửa gỗ", "máy ghép gỗ, máy chà nhám"),
    ],
    "KHAC": [
        ("nước đóng chai", "Nước uống đóng chai", "dây chuyền lọc, chiết rót nước"),
        ("in ấn", "In bao bì, nhãn mác", "máy in nhãn, máy cắt decal"),
        ("nước đá", "Nước đá cây", "máy làm đá"),
    ],
}

# Facility.Kind value → how often it appears among rural-industry facilities
KIND_WEIGHTS = {
    "household": 55,
    "coop_group": 8,
    "cooperative": 15,
    "micro": 13,
    "small": 7,
    "medium": 2,
}
MOBILE_PREFIXES = ["032", "034", "035", "038", "039", "086", "091", "094", "096", "097", "098"]

# What a scheme for facilities does: activity code → (weight, title with {machine} {product})
FACILITY_ACTIVITIES = {
    "03.3": (50, "Hỗ trợ ứng dụng {machine} vào sản xuất {product}"),
    "03.1": (14, "Xây dựng mô hình trình diễn kỹ thuật sản xuất {product}"),
    "05.2": (10, "Hỗ trợ thiết kế mẫu mã, bao bì sản phẩm {product}"),
    "04.3": (8, "Hỗ trợ xây dựng, đăng ký nhãn hiệu sản phẩm {product}"),
    "01.1": (8, "Đào tạo nghề, truyền nghề sản xuất {product}"),
    "02.4": (5, "Tư vấn áp dụng sản xuất sạch hơn trong sản xuất {product}"),
    "04.5": (5, "Hỗ trợ đưa sản phẩm {product} lên sàn thương mại điện tử"),
}
# Schemes without beneficiaries, contracted with a supplier: (activity, title with {year})
EVENTS = [
    ("04.1", "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm {year}"),
    ("04.2", "Tổ chức gian hàng tham gia hội chợ hàng công nghiệp nông thôn khu vực năm {year}"),
    ("06.1", "Xây dựng chuyên mục truyền hình về khuyến công năm {year}"),
    ("02.2", "Hội thảo phát triển sản phẩm công nghiệp nông thôn chủ lực năm {year}"),
    ("04.4", "Nâng cấp phòng trưng bày, giới thiệu sản phẩm công nghiệp nông thôn năm {year}"),
]
TASKS = [
    ("09.2", "Kiểm tra, giám sát, hướng dẫn thực hiện các đề án khuyến công năm {year}"),
    ("09.1", "Tập huấn nâng cao năng lực cho cán bộ làm công tác khuyến công năm {year}"),
    ("06.1", "Xây dựng bản tin khuyến công và cập nhật trang thông tin điện tử năm {year}"),
]
SUPPLIERS = [
    "Công ty TNHH Sự kiện và Truyền thông {brand}",
    "Công ty cổ phần Quảng cáo và Hội chợ {brand}",
    "Đài Phát thanh và Truyền hình {province}",
    "Công ty TNHH Tư vấn và Đào tạo {brand}",
]
GOALS = [
    "Nâng cao năng suất, chất lượng sản phẩm, giảm lao động thủ công.",
    "Mở rộng quy mô sản xuất, tạo việc làm ổn định cho lao động địa phương.",
    "Phát triển sản phẩm thế mạnh của địa phương, nâng cao giá trị gia tăng.",
    "Giảm tiêu hao nguyên liệu, nhiên liệu và ô nhiễm môi trường.",
]

FINDINGS = [
    "Cơ sở đã nhận thiết bị, đang lắp đặt, chạy thử.",
    "Thiết bị đã lắp đặt, vận hành ổn định, đúng chủng loại.",
    "Cơ sở đã bố trí vốn đối ứng, đang hoàn thiện nhà xưởng.",
    "Đã tổ chức được một phần nội dung theo tiến độ.",
    "Cơ sở thực hiện đúng nội dung, tiến độ đề án được duyệt.",
]
# The problems inspections record; the landslide of the article first (and most often).
PROBLEMS = [
    "Đường bị sạt lở sau mưa lớn, chưa vận chuyển được thiết bị đến cơ sở.",
    "Đường bị sạt lở, đoàn kiểm tra không vào được thôn.",
    "Nhà cung cấp chậm giao máy so với hợp đồng.",
    "Cơ sở chưa bố trí đủ vốn đối ứng.",
    "Thiếu lao động có tay nghề vận hành thiết bị.",
    "Mất điện kéo dài, chưa chạy thử được thiết bị.",
]
PROBLEM_WEIGHTS = [4, 2, 2, 2, 1, 1]
NEXT_STEPS = [
    "Hoàn thành lắp đặt, chạy thử; chuẩn bị hồ sơ nghiệm thu.",
    "Đôn đốc nhà cung cấp giao máy đúng hạn.",
    "Chờ thông tuyến đường; đề nghị gia hạn thời gian thực hiện.",
    "Tiếp tục theo dõi, báo cáo tiến độ hằng tháng trước ngày 25.",
]
COMMITTEE = "Sở Công Thương; Trung tâm Khuyến công – XTCT; {office}; đại diện cơ sở thụ hưởng"
ACCEPTANCE_NOTES = [
    "Thiết bị hoạt động ổn định, đúng chủng loại và công suất.",
    "Hoàn thành đầy đủ nội dung, khối lượng theo đề án được duyệt.",
    "Đạt yêu cầu; một số hạng mục giảm giá trị so với dự toán.",
]
FAILED_ACCEPTANCE = "Chưa đạt: thiết bị chưa vận hành ổn định, hồ sơ thanh toán chưa đủ."
CANCEL_REASONS = [
    "Cơ sở không bố trí được vốn đối ứng.",
    "Cơ sở tạm dừng sản xuất, xin rút khỏi đề án.",
    "Nội dung trùng với dự án đã được ngân sách nhà nước hỗ trợ.",
]
REJECT_REASONS = [
    "Vượt khả năng cân đối kinh phí của kế hoạch năm.",
    "Cơ sở đã được hỗ trợ cùng nội dung trong giai đoạn trước.",
    "Hồ sơ chưa đáp ứng tiêu chí ưu tiên của tỉnh.",
    "Thiết bị đề nghị hỗ trợ không thuộc danh mục máy móc tiên tiến.",
]
