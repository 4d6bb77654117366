"""The portal on today's date (issue 20): the demo carried on to Tỉnh Tuyên Quang after the
reform of 1 July 2025. As the province's officer: a 2026 local scheme created by hand in a
commune of today, the budget of the draft edited, its items checked against the province's own
cap of the local fund, a payment dated today accepted and one dated tomorrow refused. As the
economic staff of Xã Mèo Vạc, which took over two 2022 communes: their facilities listed (and
no other commune's), a facility added in his commune, and its request for next year's plan
filed with its dossier and sent to the province.

Dates come from the clock (the portal's today, in Việt Nam): nothing is frozen."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beneficiaries.models import Facility, SupportRequest
from khuyencong.dates import format_date_vn
from schemes.models import Disbursement, Scheme
from tests.e2e.conftest import agree, log_in
from tests.e2e.pages import badge, entry, messages, stat, tiny_pdf
from tests.e2e.test_scheme_journey import shoot

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

TR = 1_000_000
LOCAL_PLAN = "Kế hoạch khuyến công địa phương năm 2026 tỉnh Tuyên Quang"
CODE = "ĐP-2026-07"
TITLE = "Kiểm tra, giám sát các đề án khuyến công tại xã Tân Quang năm 2026"
CENTRE = "Trung tâm Khuyến công tỉnh Tuyên Quang"
# The province's own cap of the local fund for 09.2 since 01/07/2025 (schemes/reference.py).
TASK = "09.2 – Kiểm tra, giám sát, quản lý đề án khuyến công"
CAP_TEXT = "Nghị quyết của HĐND tỉnh Tuyên Quang về định mức khuyến công địa phương"
# A contracted 2026 local scheme of the demo: 150 tr, an advance of 75 tr paid.
CONTRACTED = "ĐP-2026-01"
CONTRACT = "ĐP-2026-01/HĐ-01"
ORANGES = "Hợp tác xã cam sành Hàm Yên"
# Xã Mèo Vạc (T0010) took over Thị trấn Mèo Vạc and Xã Pả Vi of 2022.
PA_VI = "Tổ hợp tác mật ong bạc hà Pả Vi"  # a 2022 facility of Xã Pả Vi
MEO_VAC = "Hộ kinh doanh mật ong bạc hà Mèo Vạc"  # today's, in Xã Mèo Vạc
ELSEWHERE = ["Hộ kinh doanh thịt bò khô Đồng Văn", "Hợp tác xã chè Shan tuyết Tùng Bá"]
NEW_FACILITY = "Hợp tác xã dệt lanh Pả Vi"
ACTIVITY = "04.3 – Xây dựng thương hiệu"


def labelled(scope, label):
    """The control of the form field `label` (its label may end with the required mark)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def options(select):
    return [text.strip() for text in select.locator("option").all_inner_texts()]


def nav(page, name):
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name=name).click()


def test_the_province_and_a_commune_work_on_today(live_server, demo, page, browser):
    url = live_server.url
    # The portal's today: the date in Việt Nam (UTC+7), a day ahead of the machine's UTC clock
    # each evening after 17:00.
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)

    # A. The province's officer, in the 2026 local plan.
    log_in(page, url, "officer")
    nav(page, "Kế hoạch")
    expect(page.get_by_role("heading", name="Kế hoạch khuyến công", exact=True)).to_be_visible()
    page.get_by_role("link", name=LOCAL_PLAN).click()
    expect(page.get_by_role("heading", name=LOCAL_PLAN, level=1)).to_be_visible()
    expect(badge(page)).to_have_text("Đã phê duyệt")
    shoot(page, "today-01-local-plan-2026")

    # A 2026 scheme by hand, in a commune of today.
    page.get_by_role("link", name="+ Đề án").click()
    expect(page.get_by_role("heading", name="Lập đề án, nhiệm vụ")).to_be_visible()
    form = page.locator("form.card")
    expect(labelled(form, "Kế hoạch").locator("option:checked")).to_contain_text(LOCAL_PLAN)
    where = labelled(form, "Địa bàn")
    places = options(where)
    assert "Tỉnh Tuyên Quang" in places, places
    assert "Xã Tân Quang" in places and "Xã Mèo Vạc" in places, places
    assert "Phường Mỹ Lâm" in places, places  # the former Tuyên Quang's side too
    # The Hà Giang of 2022 ended on 30/06/2025: none of its units is offered for 2026.
    assert "Tỉnh Hà Giang" not in places, places
    assert not [p for p in places if p.startswith(("Huyện", "Thị trấn", "Thành phố"))], places
    assert not [p for p in places if "(đến " in p], places
    labelled(form, "Mã đề án").fill(CODE)
    labelled(form, "Tên đề án").fill(TITLE)
    labelled(form, "Loại").select_option(label="Nhiệm vụ")
    labelled(form, "Nội dung chính").select_option(label=TASK)
    where.select_option(label="Xã Tân Quang")
    labelled(form, "Đơn vị thực hiện").fill(CENTRE)
    labelled(form, "Ngày bắt đầu").fill(format_date_vn(datetime.date(2026, 3, 1)))
    labelled(form, "Ngày kết thúc").fill(format_date_vn(datetime.date(2026, 12, 31)))
    labelled(form, "Kinh phí khuyến công").fill("100.000.000")
    shoot(page, "today-02-scheme-form")
    form.get_by_role("button", name="Lưu đề án").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{CODE} – {TITLE}")
    expect(messages(page)).to_contain_text(f"Đã lưu đề án {CODE}.")
    expect(badge(page)).to_have_text("Đề xuất")
    expect(page.locator("dl.facts")).to_contain_text("Xã Tân Quang")
    expect(stat(page, "Kinh phí khuyến công")).to_have_text("100.000.000 đ")
    scheme_url = page.url

    # The draft's budget corrected.
    page.get_by_role("link", name="Sửa đề án").click()
    expect(page.get_by_role("heading", name=f"Sửa đề án {CODE}")).to_be_visible()
    form = page.locator("form.card")
    expect(labelled(form, "Địa bàn").locator("option:checked")).to_have_text("Xã Tân Quang")
    labelled(form, "Kinh phí khuyến công").fill("200.000.000")
    form.get_by_role("button", name="Lưu đề án").click()
    expect(messages(page)).to_contain_text(f"Đã lưu đề án {CODE}.")
    expect(stat(page, "Kinh phí khuyến công")).to_have_text("200.000.000 đ")

    # Its items against the province's cap of the local fund: 120 tr a scheme for 09.2.
    def add_item(description, amount):
        form = entry(page, "+ Thêm hạng mục")
        labelled(form, "Nội dung hỗ trợ").select_option(label=TASK)
        labelled(form, "Hạng mục").fill(description)
        labelled(form, "Kinh phí khuyến công (đ)").fill(amount)
        form.get_by_role("button", name="Thêm hạng mục").click()
        return form

    refused = add_item("Kiểm tra, giám sát cả năm", "150.000.000")
    alert = refused.get_by_role("alert")
    expect(alert).to_contain_text("150.000.000 đ")
    expect(alert).to_contain_text("vượt định mức")
    expect(alert).to_contain_text("≤ 120.000.000 đ")
    expect(alert).to_contain_text(CAP_TEXT)
    expect(alert).to_contain_text("mức tối đa được hỗ trợ là 120.000.000 đ")
    expect(page.locator("#hang-muc tbody")).to_contain_text("Chưa có hạng mục.")
    shoot(page, "today-03-item-over-local-cap")

    add_item("Kiểm tra, giám sát cả năm", "110.000.000")
    expect(messages(page)).to_contain_text("Đã thêm hạng mục.")
    item = page.locator("#hang-muc tbody tr")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("110.000.000 đ")
    expect(item).to_contain_text("≤ 120.000.000 đ")
    expect(item).to_contain_text(CAP_TEXT)
    expect(item).not_to_contain_text("Không có định mức")
    shoot(page, "today-04-item-under-local-cap")
    scheme = Scheme.objects.get(code=CODE)
    assert scheme.unit.name == "Xã Tân Quang" and scheme.unit.valid_to is None
    assert scheme.budget == 200 * TR
    assert [i.support_amount for i in scheme.items.all()] == [110 * TR]
    assert page.url.startswith(scheme_url)

    # A payment on a contracted scheme: today's is accepted, tomorrow's refused.
    nav(page, "Kế hoạch")
    page.get_by_role("link", name=LOCAL_PLAN).click()
    page.get_by_role("link", name=CONTRACTED, exact=True).click()
    expect(badge(page)).to_have_text("Đã ký hợp đồng")
    expect(stat(page, "Đã giải ngân")).to_have_text("75.000.000 đ")

    def pay(paid_on, amount, document_number):
        form = entry(page, "+ Ghi tạm ứng, thanh toán")
        form.get_by_label("Hợp đồng").select_option(label=f"HĐ {CONTRACT} – {ORANGES}")
        form.locator('[name$="kind"]').select_option(label="Tạm ứng")
        form.get_by_label("Ngày chi").fill(format_date_vn(paid_on))
        form.get_by_label("Số tiền").fill(amount)
        form.get_by_label("Số chứng từ").fill(document_number)
        form.get_by_role("button", name="Ghi khoản chi").click()
        return form

    pay(today, "15.000.000", "UNC-HY-02")
    expect(messages(page)).to_contain_text("Đã ghi khoản chi.")
    expect(stat(page, "Đã giải ngân")).to_have_text("90.000.000 đ")
    expect(page.locator("#hop-dong")).to_contain_text(format_date_vn(today))
    shoot(page, "today-05-payment-today")

    refused = pay(tomorrow, "10.000.000", "UNC-HY-03")
    expect(refused).to_contain_text(f"Ngày chi không thể sau hôm nay ({format_date_vn(today)}).")
    expect(refused.get_by_label("Ngày chi")).to_have_value(format_date_vn(tomorrow))
    expect(stat(page, "Đã giải ngân")).to_have_text("90.000.000 đ")
    shoot(page, "today-06-payment-tomorrow-refused")
    paid = Disbursement.objects.filter(contract__scheme__code=CONTRACTED)
    assert sorted(paid.values_list("paid_on", "amount")) == sorted(
        [(paid.earliest("paid_on").paid_on, 75 * TR), (today, 15 * TR)]
    )

    # The same scheme page at a phone's width.
    phone = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    small = phone.new_page()
    log_in(small, url, "officer")
    small.goto(scheme_url)
    expect(small.get_by_role("heading", level=1)).to_have_text(f"{CODE} – {TITLE}")
    shoot(small, "today-07-scheme-phone")
    phone.close()

    # B. The economic staff of Xã Mèo Vạc.
    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, url, "xameovac")
    expect(page.locator("header")).to_contain_text("Cán bộ cấp xã · Xã Mèo Vạc")
    nav(page, "Cơ sở CNNT")
    expect(page.get_by_role("heading", name="Cơ sở công nghiệp nông thôn")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name=PA_VI)).to_be_visible()
    expect(table.get_by_role("link", name=MEO_VAC)).to_be_visible()
    for name in ELSEWHERE:
        expect(table.get_by_role("link", name=name)).to_have_count(0)
    shoot(page, "today-08-commune-facilities")

    page.get_by_role("link", name="+ Thêm cơ sở").click()
    expect(page.get_by_role("heading", name="Thêm cơ sở CNNT")).to_be_visible()
    commune = page.get_by_label("Xã, phường, thị trấn")
    assert options(commune) == ["— Chọn xã, phường, thị trấn —", "Xã Mèo Vạc – Tỉnh Tuyên Quang"]
    page.get_by_label("Tên cơ sở").fill(NEW_FACILITY)
    page.get_by_label("Loại hình").select_option(label="Hợp tác xã")
    page.get_by_label("Ngành nghề").select_option(label="Dệt, may, thêu")
    commune.select_option(label="Xã Mèo Vạc – Tỉnh Tuyên Quang")
    page.get_by_label("Địa chỉ").fill("Thôn Pả Vi Hạ, xã Mèo Vạc")
    page.get_by_label("Người đại diện").fill("Mua Thị Mỷ")
    page.get_by_label("Mã số thuế").fill("5100623460")
    page.get_by_label("Điện thoại").fill("0987 123 410")
    page.get_by_label("Số lao động").fill("16")
    shoot(page, "today-09-facility-form")
    page.get_by_role("button", name="Lưu cơ sở").click()
    expect(page.get_by_role("heading", name=NEW_FACILITY, level=1)).to_be_visible()
    expect(messages(page)).to_contain_text(f"Đã lưu cơ sở “{NEW_FACILITY}”.")
    expect(page.locator("dl.facts")).to_contain_text("Xã Mèo Vạc")

    # Its request for next year's plan: a draft, the dossier, then sent to the province.
    year = today.year + 1
    page.get_by_role("link", name="+ Đăng ký nhu cầu").click()
    expect(page.get_by_role("heading", name="Đăng ký nhu cầu hỗ trợ")).to_be_visible()
    page.get_by_label("Năm kế hoạch").fill(str(year))
    page.get_by_label("Nội dung hỗ trợ").select_option(label=ACTIVITY)
    page.get_by_label("Nội dung đề nghị").fill(
        "Hỗ trợ xây dựng, đăng ký nhãn hiệu vải lanh Pả Vi và thiết kế bao bì."
    )
    page.get_by_label("Tổng kinh phí").fill("60.000.000")
    page.get_by_label("Kinh phí đối ứng").fill("30.000.000")
    page.get_by_label("Kinh phí đề nghị hỗ trợ").fill("30.000.000")
    page.get_by_label("Sản phẩm thế mạnh địa phương").check()
    shoot(page, "today-10-request-form")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(messages(page)).to_contain_text("Đã lưu đăng ký.")
    expect(badge(page)).to_have_text("Nháp")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"({year})")

    # The whole dossier in one sending, each file given its kind.
    kinds = [k for k in options(page.locator("[data-kind-options]")) if k != "Tài liệu khác"]
    assert kinds
    pdf = tiny_pdf()
    names = [f"ho-so-{number}.pdf" for number in range(1, len(kinds) + 1)]
    page.get_by_label("chọn được nhiều tệp").set_input_files(
        [{"name": name, "mimeType": "application/pdf", "buffer": pdf} for name in names]
    )
    for name, kind in zip(names, kinds, strict=True):
        page.get_by_label(name).select_option(label=kind)
    page.get_by_role("button", name="Tải lên tất cả").click()
    expect(messages(page)).to_contain_text(f"Đã tải lên {len(kinds)} tệp:")
    expect(page.get_by_text("Đủ hồ sơ bắt buộc.")).to_be_visible()
    page.get_by_role("button", name="Gửi lên tỉnh").click()
    agree(page)
    expect(messages(page)).to_contain_text("Đăng ký đã chuyển sang “Đã gửi”.")
    expect(badge(page)).to_have_text("Đã gửi")
    shoot(page, "today-11-request-submitted")

    facility = Facility.objects.get(name=NEW_FACILITY)
    assert facility.unit.name == "Xã Mèo Vạc" and facility.unit.valid_to is None
    request = SupportRequest.objects.get(facility=facility)
    assert (request.year, request.status) == (year, SupportRequest.Status.SUBMITTED)

    # The officer finds it among next year's requests.
    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, url, "officer")
    nav(page, "Đăng ký nhu cầu")
    expect(page.get_by_role("table")).to_contain_text(NEW_FACILITY)
    shoot(page, "today-12-officer-sees-request")
