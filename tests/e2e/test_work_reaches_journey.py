"""Work reaches the next person (issue 21's journey): one request of today's province goes
through to a settled scheme, and each actor opens the portal only when his "Việc cần làm" lists
the item, follows its link and reads the page's "Bước tiếp theo" line before acting.

The commune completes and sends the request; the officer chooses it into next year's draft plan
and submits the plan and its scheme; the commune is told; the manager approves both; the officer
signs, starts, inspects, completes the dossier, asks for acceptance and records the minutes; the
manager approves the acceptance; the officer settles. Nobody is ever told to act on a record he
cannot act on, and no list shows a step that is not his."""

import re

import pytest
from playwright.sync_api import expect

from beneficiaries.models import DocumentKind, SupportRequest
from beneficiaries.reference import ensure_document_kinds, ensure_sectors
from khuyencong.dates import today
from khuyencong.models import ActivityType, FundingSource, User
from khuyencong.reference import ensure_reference_lists
from schemes.models import Plan, Scheme
from tests import factories as f
from tests.e2e.conftest import SCREENSHOTS, agree, log_in
from tests.e2e.pages import badge, entry, messages, tiny_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TR = 1_000_000
YEAR = today().year + 1
FACILITY = "Hợp tác xã chè Shan tuyết Tân Quang"
PLAN_TITLE = f"Kế hoạch khuyến công địa phương năm {YEAR} tỉnh Tuyên Quang"
PDF = {"name": "ho-so.pdf", "mimeType": "application/pdf", "buffer": None}


def pdf_file():
    return {**PDF, "buffer": tiny_pdf()}


@pytest.fixture
def world():
    """Today's Tuyên Quang: a commune without a district, its staff, the province's officer
    and manager, next year's draft local plan, and a draft request of the commune's tea
    cooperative whose dossier lacks one document."""
    ensure_reference_lists()
    ensure_sectors()
    ensure_document_kinds()
    province = f.ProvinceFactory(code="08", name="Tỉnh Tuyên Quang")
    commune = f.CommuneFactory(code="02509", name="Xã Tân Quang", parent=province)
    users = {
        "commune": f.UserFactory(username="xatanquang", role=User.Role.DISTRICT, unit=commune),
        "officer": f.UserFactory(username="officer", role=User.Role.OFFICER, unit=province),
        "manager": f.UserFactory(username="manager", role=User.Role.MANAGER, unit=province),
    }
    plan = f.PlanFactory(
        unit=province,
        year=YEAR,
        funding_source=FundingSource.objects.get(code="KCDP"),
        title=PLAN_TITLE,
        approving_body="Ủy ban nhân dân tỉnh Tuyên Quang",
        decision_number="",
        decision_date=None,
        budget=500 * TR,
        status=Plan.Status.DRAFT,
    )
    machines = ActivityType.objects.get(code="03.3")
    request = f.SupportRequestFactory(
        facility=f.FacilityFactory(name=FACILITY, unit=commune),
        year=YEAR,
        activity_type=machines,
        content="Máy vò chè và máy sấy chè liên hoàn",
        total_cost=300 * TR,
        support_requested=150 * TR,
        counterpart=150 * TR,
        created_by=users["commune"],
        dossier=False,
    )
    kinds = list(DocumentKind.objects.required_for(machines))
    for kind in kinds[1:]:
        f.DocumentFactory(facility=request.facility, request=request, kind=kind)
    return {"plan": plan, "request": request, "last_kind": kinds[0], **users}


@pytest.fixture
def pages(browser):
    """One browser of each actor, side by side."""
    contexts = []

    def open_page():
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield {who: open_page() for who in ("commune", "officer", "manager")}
    for context in contexts:
        context.close()


def tasks(page):
    """Open "Việc cần làm" from the menu (the number on the menu is the page's): what waits for
    the user's step, and the deadline tables."""
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name=re.compile("^Việc cần làm")
    ).click()
    expect(page.get_by_role("heading", name="Việc cần làm", level=1)).to_be_visible()
    total = page.locator(".task-total").get_attribute("data-count")
    if total == "0":
        expect(page.locator(".nav-tasks .nav-count")).to_have_count(0)
    else:
        expect(page.locator(".nav-tasks .nav-count")).to_have_text(re.compile(rf"^{total}"))
    return page.locator("#cho-xu-ly, table.duties")


def follow(page, step, title):
    """Open "Việc cần làm", follow its item `title`, and see the record's page announce `step`
    as the user's own."""
    tasks(page).get_by_role("link", name=re.compile(re.escape(title))).first.click()
    expect(page.locator(".next-step h2")).to_have_text(f"Bước tiếp theo: {step}")
    expect(page.locator(".next-step")).to_contain_text("Người thực hiện: bạn")


def shoot(page, name, *, phone=False):
    SCREENSHOTS.mkdir(exist_ok=True)
    if phone:
        page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SCREENSHOTS / f"work-{name}.png", full_page=True)
    if phone:
        page.set_viewport_size({"width": 1280, "height": 900})


def next_step_ready(page):
    expect(page.locator(".next-step")).to_have_class(re.compile(r"\bready\b"))


def act(page, button, *, where=None):
    (where or page.get_by_label("Thao tác")).get_by_role("button", name=button, exact=True).click()
    agree(page)


def test_one_request_reaches_a_settled_scheme(live_server, world, pages):
    url = live_server.url
    commune, officer, manager = pages["commune"], pages["officer"], pages["manager"]
    req = world["request"]

    # 1. The commune: its draft waits for it, one document short.
    log_in(commune, url, "xatanquang", f.PASSWORD)
    follow(commune, "Gửi lên tỉnh", FACILITY)
    expect(commune.locator(".next-step ul.blockers a")).to_have_attribute("href", "#ho-so")
    shoot(commune, "01-commune-draft")
    commune.get_by_label("chọn được nhiều tệp").set_input_files(pdf_file())
    commune.get_by_label(pdf_file()["name"]).select_option(label=world["last_kind"].name)
    commune.get_by_role("button", name="Tải lên tất cả").click()
    expect(messages(commune)).to_contain_text("Đã tải")
    next_step_ready(commune)
    act(commune, "Gửi lên tỉnh")
    expect(badge(commune)).to_have_text("Đã gửi")
    expect(tasks(commune).first).to_contain_text("Không có hồ sơ nào đang chờ bước của bạn.")

    # 2. The officer: the request waits for his review; he chooses it into the draft plan.
    log_in(officer, url, "officer", f.PASSWORD)
    follow(officer, "Chọn vào kế hoạch", FACILITY)
    officer.get_by_label(f"Kế hoạch năm {YEAR}").select_option(index=0)
    act(officer, "Chọn vào kế hoạch")
    expect(badge(officer)).to_have_text("Đã đưa vào kế hoạch")
    scheme = Scheme.objects.get(plan=world["plan"])
    expect(officer.get_by_role("status").filter(has_text="Đã đưa vào đề án")).to_contain_text(
        scheme.code
    )

    # The new scheme waits for the officer's submission, which waits for its plan's.
    follow(officer, "Trình phê duyệt", PLAN_TITLE)
    next_step_ready(officer)
    act(officer, "Trình phê duyệt")
    expect(badge(officer)).to_have_text("Chờ phê duyệt")
    follow(officer, "Trình phê duyệt", scheme.code)
    next_step_ready(officer)
    act(officer, "Trình phê duyệt")
    expect(badge(officer)).to_have_text("Chờ phê duyệt")

    # 3. The commune is told, with the scheme.
    commune.reload()
    notices = commune.locator("#thong-bao")
    expect(notices).to_contain_text(FACILITY)
    expect(notices).to_contain_text(scheme.code)
    shoot(commune, "04-commune-notice")

    # 4. The manager: the plan and the scheme wait for his approval.
    log_in(manager, url, "manager", f.PASSWORD)
    waiting = tasks(manager)
    expect(waiting.first).to_contain_text(PLAN_TITLE)
    expect(waiting.first).to_contain_text(scheme.code)
    shoot(manager, "02-manager-tasks")
    shoot(manager, "02b-manager-tasks-phone", phone=True)
    follow(manager, "Phê duyệt kế hoạch", PLAN_TITLE)
    actions = manager.get_by_label("Thao tác")
    actions.get_by_label("Số quyết định").fill("125/QĐ-UBND")
    actions.get_by_label("Ngày (dd/mm/yyyy)").fill(today().strftime("%d/%m/%Y"))
    act(manager, "Phê duyệt kế hoạch")
    expect(badge(manager)).to_have_text("Đã phê duyệt")
    follow(manager, "Phê duyệt", scheme.code)
    next_step_ready(manager)
    actions = manager.get_by_label("Thao tác")
    actions.get_by_label("Số quyết định").fill("45/QĐ-SCT")
    actions.get_by_label("Ngày (dd/mm/yyyy)").fill(today().strftime("%d/%m/%Y"))
    act(manager, "Phê duyệt")
    expect(badge(manager)).to_have_text("Đã phê duyệt")
    expect(tasks(manager).first).to_contain_text("Không có hồ sơ nào đang chờ bước của bạn.")

    # 5. The officer: contract, start, the visit at 100 %, the dossier, the request for
    # acceptance and the minutes, each when the page's next step asks for it.
    follow(officer, "Xác nhận đã ký hợp đồng", scheme.code)
    expect(officer.locator(".next-step ul.blockers a")).to_have_attribute("href", "#hop-dong")
    member = officer.locator("#co-so tbody tr").first
    member.get_by_text("Sửa", exact=True).click()
    member.get_by_label("Đã cam kết").check()
    member.get_by_role("button", name="Lưu").click()
    contract = entry(officer, "+ Ghi hợp đồng")
    contract.get_by_label("Cơ sở thụ hưởng").select_option(index=1)
    contract.get_by_label("Số hợp đồng").fill(f"01/{YEAR}/HĐ-KC")
    contract.get_by_label("Ngày ký").fill(today().strftime("%d/%m/%Y"))
    contract.get_by_label("Giá trị hợp đồng").fill("150.000.000")
    contract.get_by_role("button", name="Ghi hợp đồng").click()
    expect(messages(officer)).to_contain_text("Đã ghi hợp đồng.")
    next_step_ready(officer)
    act(officer, "Xác nhận đã ký hợp đồng")
    expect(officer.locator(".next-step h2")).to_have_text("Bước tiếp theo: Bắt đầu triển khai")
    act(officer, "Bắt đầu triển khai")

    expect(officer.locator(".next-step h2")).to_have_text("Bước tiếp theo: Đề nghị nghiệm thu")
    gates = officer.locator(".next-step ul.blockers li")
    expect(gates.first).to_contain_text("100 %")
    shoot(officer, "03-officer-acceptance-gates")
    visit = entry(officer, "+ Ghi kết quả kiểm tra")
    visit.get_by_label("Ngày kiểm tra").fill(today().strftime("%d/%m/%Y"))
    visit.get_by_label("Thành phần đoàn").fill("Trung tâm Khuyến công; UBND xã Tân Quang")
    visit.get_by_label("Tiến độ (%)").fill("100")
    visit.get_by_label("Kết quả kiểm tra").fill("Máy đã lắp đặt, chạy thử đạt công suất.")
    visit.get_by_role("button", name="Ghi kết quả kiểm tra").click()
    expect(messages(officer)).to_contain_text("Đã ghi kết quả kiểm tra.")
    while officer.locator("#ho-so form.upload").count():
        form = officer.locator("#ho-so form.upload").first
        form.locator("input[type=file]").set_input_files(pdf_file())
        form.get_by_role("button", name="Tải lên").click()
        expect(messages(officer)).to_contain_text("Đã tải tài liệu lên.")
    next_step_ready(officer)
    act(officer, "Đề nghị nghiệm thu")
    expect(badge(officer)).to_have_text("Chờ nghiệm thu")

    # The acceptance's approval is the manager's, but it waits for the officer's minutes: his
    # list says so, and the page names what is missing.
    tasks(officer).get_by_role("link", name=re.compile(re.escape(scheme.code))).first.click()
    expect(officer.locator(".next-step h2")).to_have_text("Bước tiếp theo: Phê duyệt nghiệm thu")
    expect(officer.locator(".next-step ul.blockers a").first).to_have_attribute(
        "href", "#nghiem-thu"
    )
    minutes = entry(officer, "+ Ghi biên bản nghiệm thu")
    minutes.get_by_label("Ngày nghiệm thu").fill(today().strftime("%d/%m/%Y"))
    minutes.get_by_label("Hội đồng nghiệm thu").fill("Sở Công Thương; Trung tâm Khuyến công")
    minutes.get_by_label("Kết quả").select_option(label="Đạt")
    minutes.get_by_label("Kinh phí nghiệm thu").fill("150.000.000")
    minutes.get_by_label("Biên bản nghiệm thu đã ký").set_input_files(pdf_file())
    minutes.get_by_role("button", name="Ghi biên bản").click()
    expect(messages(officer)).to_contain_text("Đã ghi biên bản nghiệm thu.")
    # The approval is the manager's: the officer's page says so, and his list lets it go.
    expect(officer.locator(".next-step")).to_contain_text("đang chờ")
    expect(tasks(officer).first).not_to_contain_text(scheme.code)

    # 6. The manager approves the acceptance.
    follow(manager, "Phê duyệt nghiệm thu", scheme.code)
    next_step_ready(manager)
    act(manager, "Phê duyệt nghiệm thu")
    expect(badge(manager)).to_have_text("Đã nghiệm thu")

    # 7. The officer settles.
    follow(officer, "Quyết toán, thanh lý", scheme.code)
    actions = officer.get_by_label("Thao tác")
    actions.get_by_label(re.compile("Ngày")).fill(today().strftime("%d/%m/%Y"))
    act(officer, "Quyết toán, thanh lý")
    expect(badge(officer)).to_have_text("Đã quyết toán")
    assert officer.locator(".next-step").count() == 0

    scheme.refresh_from_db()
    req.refresh_from_db()
    assert scheme.status == Scheme.Status.SETTLED
    assert req.status == SupportRequest.Status.INCLUDED
