"""The demo province's programme in 2022, after the article in shared/seed: a national plan of
1.200.000.000 đ for two group schemes with acceptance due in November; a local plan of the
provincial People's Committee with eleven schemes across the districts and the city, a
typical-product selection and a task, 1.630.000.000 đ in all, five of them accepted (one a
tea-bag packing machine at a household business); a landslide that delays a scheme.
Names, tax codes and decision numbers are made up for the demo."""

import datetime

D = datetime.date
CENTRE = "Trung tâm Khuyến công – Xúc tiến Công Thương tỉnh Hà Giang"

# key: name, kind, sector, commune, owner, tax code, phone, workers, products
FACILITIES = {
    "tra_hung": ("Hộ kinh doanh chè Hùng Tân", "household", "CBNLS", "01177",
                 "Nguyễn Văn Hùng", "5100412345", "0912345601", 8, "Chè xanh, trà túi lọc"),
    "htx_phong_quang": ("Hợp tác xã chè Phong Quang", "cooperative", "CBNLS", "00907",
                        "Hoàng Thị Mai", "5100398765", "0912345602", 22, "Chè xanh, chè đen"),
    "htx_thanh_van": ("Hợp tác xã rượu ngô men lá Thanh Vân", "cooperative", "CBNLS", "00850",
                      "Vàng Mí Dính", "5100377001", "0912345603", 15, "Rượu ngô men lá"),
    "co_khi_minh_khai": ("Hộ kinh doanh cơ khí Minh Khai", "household", "CK", "00695",
                         "Trần Đức Thắng", "5100288123", "0912345604", 6, "Cửa sắt, khung nhà thép"),
    "htx_du_gia": ("Hợp tác xã vật liệu xây dựng Du Già", "cooperative", "VLXD", "00826",
                   "Lý Văn Sùng", "5100455678", "0912345605", 18, "Gạch không nung"),
    "bo_kho_dong_van": ("Hộ kinh doanh thịt bò khô Đồng Văn", "household", "CBNLS", "00733",
                        "Mua Thị Dế", "5100466789", "0912345606", 7, "Thịt bò khô, lạp xưởng"),
    "mat_ong_pa_vi": ("Tổ hợp tác mật ong bạc hà Pả Vi", "coop_group", "CBNLS", "00767",
                      "Giàng Mí Chứ", "", "0912345607", 12, "Mật ong bạc hà"),
    "moc_yen_phu": ("Cơ sở mộc Yên Phú", "household", "DG", "00949",
                    "Ma Văn Toản", "5100477890", "0912345608", 9, "Đồ gỗ dân dụng"),
    "che_shan_thong_nguyen": ("Hợp tác xã chè Shan tuyết Thông Nguyên", "cooperative", "CBNLS",
                              "01006", "Lù Thị Chiên", "5100488901", "0912345609", 25,
                              "Chè Shan tuyết, hồng trà"),
    "da_coc_pai": ("Hợp tác xã khai thác, chế biến đá Cốc Pài", "cooperative", "VLXD", "01054",
                   "Nông Văn Páo", "5100499012", "0912345610", 20, "Đá xây dựng, cát nghiền"),
    "cam_tan_trinh": ("Hợp tác xã cam sành Tân Trịnh", "cooperative", "CBNLS", "01225",
                      "Hoàng Văn Quý", "5100400123", "0912345611", 30, "Cam sành, nước ép cam"),
    "che_viet_lam": ("Công ty TNHH chè Việt Lâm", "small", "CBNLS", "00886",
                     "Phạm Quang Vinh", "5100123456", "0912345612", 45, "Chè xanh xuất khẩu"),
    "che_hung_an": ("Hộ kinh doanh chè Hùng An", "household", "CBNLS", "01150",
                    "Đỗ Thị Lan", "5100134567", "0912345613", 6, "Chè xanh"),
    "che_nam_ty": ("Hợp tác xã chè Nậm Ty", "cooperative", "CBNLS", "00994",
                   "Chảo Văn Sỉnh", "5100145678", "0912345614", 28, "Chè Shan tuyết"),
    "co_khi_viet_quang": ("Công ty TNHH cơ khí Việt Quang", "micro", "CK", "01141",
                          "Lê Văn Tuấn", "5100156789", "0912345615", 9, "Máy chế biến chè"),
    "gach_vinh_tuy": ("Hộ kinh doanh gạch Vĩnh Tuy", "household", "VLXD", "01144",
                      "Nguyễn Thị Hạnh", "5100167890", "0912345616", 11, "Gạch xi măng cốt liệu"),
    "co_khi_tam_son": ("Hộ kinh doanh cơ khí Tam Sơn", "household", "CK", "00847",
                       "Sùng Mí Páo", "5100178901", "0912345617", 5, "Nông cụ, gia công kim loại"),
    "tho_cam_lung_cu": ("Tổ hợp tác dệt thổ cẩm Lũng Cú", "coop_group", "DMT", "00715",
                        "Lò Thị Mỷ", "", "0912345618", 16, "Vải lanh, thổ cẩm"),
    "mien_dong_yen": ("Hộ kinh doanh miến dong Đồng Yên", "household", "CBNLS", "01183",
                      "Triệu Văn Nhất", "5100189012", "0912345619", 7, "Miến dong"),
    "banh_tam_giac_mach": ("Hộ kinh doanh bánh tam giác mạch Phó Bảng", "household", "CBNLS",
                           "00712", "Vừ Thị Sung", "", "0912345620", 4, "Bánh tam giác mạch"),
    "may_tre_xuan_giang": ("Tổ hợp tác mây tre đan Xuân Giang", "coop_group", "DG", "01204",
                           "La Thị Hoa", "", "0912345621", 14, "Mây tre đan"),
    "nong_san_phuong_thien": ("Công ty TNHH nông sản Phương Thiện", "micro", "CBNLS", "00701",
                              "Vũ Minh Đức", "5100190123-001", "0912345622", 10,
                              "Măng khô, nấm sấy"),
}

NATIONAL_PLAN = {
    "title": "Kế hoạch khuyến công quốc gia năm 2022 tỉnh Hà Giang",
    "approving_body": "Bộ Công Thương",
    "decision_number": "245/QĐ-BCT",
    "decision_date": D(2022, 2, 18),
    "budget": 1_200_000_000,
}
LOCAL_PLAN = {
    "title": "Kế hoạch khuyến công địa phương năm 2022 tỉnh Hà Giang",
    "approving_body": "Ủy ban nhân dân tỉnh Hà Giang",
    "decision_number": "312/QĐ-UBND",
    "decision_date": D(2022, 3, 4),
    "budget": 1_630_000_000,
}

# Where each demo scheme has got to; every step below goes through the real services.
APPROVED, CONTRACTED, IN_PROGRESS, AWAITING, ACCEPTED = range(5)

# code, title, kind, activity, unit code, start, end, budget, stage,
# beneficiaries [(facility, support, counterpart)], items [(activity, description, amount)]
NATIONAL_SCHEMES = [
    ("QG-2022-01",
     "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào chế biến chè tại các huyện Vị Xuyên, "
     "Bắc Quang, Hoàng Su Phì", "group", "03.3", "02", D(2022, 4, 1), D(2022, 11, 30),
     650_000_000, IN_PROGRESS,
     [("che_viet_lam", 250_000_000, 420_000_000), ("che_hung_an", 150_000_000, 160_000_000),
      ("che_nam_ty", 250_000_000, 300_000_000)], []),
    ("QG-2022-02",
     "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất vật liệu xây dựng và gia công cơ khí",
     "group", "03.3", "02", D(2022, 4, 1), D(2022, 11, 30), 550_000_000, IN_PROGRESS,
     [("co_khi_viet_quang", 200_000_000, 260_000_000), ("gach_vinh_tuy", 180_000_000, 200_000_000),
      ("co_khi_tam_son", 170_000_000, 180_000_000)], []),
]

LOCAL_SCHEMES = [
    ("ĐP-2022-01", "Hỗ trợ ứng dụng máy đóng trà túi lọc tại hộ kinh doanh chè Hùng Tân",
     "single", "03.3", "034", D(2022, 4, 15), D(2022, 9, 30), 130_000_000, ACCEPTED,
     [("tra_hung", 130_000_000, 140_000_000)], []),
    ("ĐP-2022-02", "Hỗ trợ ứng dụng máy sao, vò chè tại Hợp tác xã chè Phong Quang",
     "single", "03.3", "030", D(2022, 4, 15), D(2022, 9, 30), 150_000_000, ACCEPTED,
     [("htx_phong_quang", 150_000_000, 170_000_000)], []),
    ("ĐP-2022-03", "Hỗ trợ thiết bị chưng cất rượu ngô men lá tại HTX Thanh Vân",
     "single", "03.3", "029", D(2022, 4, 15), D(2022, 9, 30), 140_000_000, ACCEPTED,
     [("htx_thanh_van", 140_000_000, 150_000_000)], []),
    ("ĐP-2022-04", "Hỗ trợ máy cắt, uốn thép tại hộ kinh doanh cơ khí Minh Khai",
     "single", "03.3", "024", D(2022, 4, 15), D(2022, 9, 30), 120_000_000, ACCEPTED,
     [("co_khi_minh_khai", 120_000_000, 125_000_000)], []),
    ("ĐP-2022-05", "Hỗ trợ dây chuyền sản xuất gạch không nung tại HTX Du Già",
     "single", "03.3", "028", D(2022, 4, 15), D(2022, 10, 15), 150_000_000, ACCEPTED,
     [("htx_du_gia", 150_000_000, 180_000_000)], []),
    ("ĐP-2022-06", "Hỗ trợ máy sấy, đóng gói thịt bò khô tại thị trấn Đồng Văn",
     "single", "03.3", "026", D(2022, 5, 1), D(2022, 10, 31), 110_000_000, AWAITING,
     [("bo_kho_dong_van", 110_000_000, 115_000_000)], []),
    ("ĐP-2022-07", "Hỗ trợ máy quay, lọc và đóng chai mật ong bạc hà tại xã Pả Vi",
     "single", "03.3", "027", D(2022, 5, 1), D(2022, 10, 31), 110_000_000, IN_PROGRESS,
     [("mat_ong_pa_vi", 110_000_000, 112_000_000)], []),
    ("ĐP-2022-08", "Hỗ trợ máy xẻ, bào gỗ tại cơ sở mộc Yên Phú",
     "single", "03.3", "031", D(2022, 5, 1), D(2022, 11, 30), 100_000_000, IN_PROGRESS,
     [("moc_yen_phu", 100_000_000, 105_000_000)], []),
    ("ĐP-2022-09", "Hỗ trợ máy chế biến và thiết kế bao bì chè Shan tuyết Thông Nguyên",
     "single", "03.3", "032", D(2022, 6, 1), D(2022, 12, 15), 100_000_000, CONTRACTED,
     [("che_shan_thong_nguyen", 100_000_000, 110_000_000)],
     [("03.3", "Máy vò chè Shan tuyết", 65_000_000),
      ("05.2", "Thiết kế mẫu mã, bao bì sản phẩm", 35_000_000)]),
    ("ĐP-2022-10", "Hỗ trợ máy nghiền, sàng đá xây dựng tại HTX Cốc Pài",
     "single", "03.3", "033", D(2022, 6, 1), D(2022, 12, 15), 120_000_000, CONTRACTED,
     [("da_coc_pai", 120_000_000, 160_000_000)], []),
    ("ĐP-2022-11", "Hỗ trợ máy ép, đóng chai nước cam sành tại HTX Tân Trịnh",
     "single", "03.3", "035", D(2022, 5, 15), D(2022, 11, 30), 120_000_000, IN_PROGRESS,
     [("cam_tan_trinh", 120_000_000, 130_000_000)], []),
    ("ĐP-2022-12", "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2022",
     "single", "04.1", "02", D(2022, 6, 1), D(2022, 12, 20), 200_000_000, IN_PROGRESS, [], []),
    ("ĐP-2022-13", "Nhiệm vụ chi phục vụ công tác quản lý, kiểm tra, giám sát khuyến công 2022",
     "task", "09.2", "02", D(2022, 3, 15), D(2022, 12, 31), 80_000_000, IN_PROGRESS, [], []),
]

LANDSLIDE = (
    "Đường liên xã vào Pả Vi bị sạt lở sau mưa lớn, chưa vận chuyển được máy quay mật và "
    "máy đóng chai đến cơ sở."
)

# Requests for next year's plan, at various steps: (facility, activity, asked, cost, flags, step)
REQUESTS_2023 = [
    ("tho_cam_lung_cu", "03.1", 180_000_000, 380_000_000, ("local_strength", "labour_intensive"),
     "submitted"),
    ("mien_dong_yen", "03.3", 90_000_000, 190_000_000, ("local_materials",), "submitted"),
    ("banh_tam_giac_mach", "04.3", 30_000_000, 60_000_000, ("local_strength", "new_product"),
     "submitted"),
    ("may_tre_xuan_giang", "01.1", 60_000_000, 90_000_000, ("labour_intensive",), "draft"),
    ("nong_san_phuong_thien", "03.3", 150_000_000, 320_000_000,
     ("new_technology", "environment_friendly"), "under_review"),
    ("gach_vinh_tuy", "03.3", 120_000_000, 260_000_000, (), "rejected"),
]
