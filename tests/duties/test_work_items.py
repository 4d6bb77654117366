""" "Chờ bạn xử lý": the records whose next step is the user's, read from the life cycles'
declarations (waiting_states), in his scope; the notices to the district; and the menu's count,
which always equals the page's.

The steps tested are those of today's life cycles: plan draft → approve (manager); scheme
proposed → approve (manager), approved → mark_contracted, contracted → start, in_progress →
request_acceptance (officer), awaiting_acceptance → accept (manager, once passed minutes are
recorded; the officer's before), accepted → settle (officer); request draft → submit
(district), submitted → start_review, under_review → include (officer). The "submitted" states
of plans and schemes and the request's "returned" come with their life cycles: the page reads
the declaration, so they need no change here.
"""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_fsm.signals import post_transition

from beneficiaries.models import SupportRequest
from duties.models import Notification
from duties.services import reminders_deliver
from khuyencong.models import User
from khuyencong.workflow import run_transition, waiting_states
from schemes.models import Plan, Scheme
from tests import factories as f

pytestmark = pytest.mark.django_db
# Nothing of the calendar is due on this day but what a test makes: next year's dossiers are
# past (20/05, 15/06), this month's progress is not yet due (25/09).
TODAY = datetime.date(2025, 9, 10)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def plan(province):
    """The approved 2025 plan; last quarter's report is made and the national plan of 2026 is
    drafted, so that only each test's records are due."""
    f.QuarterlyReportFactory(
        unit=province.province, year=2025, quarter=2, status="done", pdf="r/q.pdf"
    )
    f.PlanFactory(
        unit=province.province,
        year=2026,
        funding_source=f.FundingSourceFactory(code="KCQG"),
        title="Kế hoạch khuyến công quốc gia năm 2026",
    )
    return f.PlanFactory(unit=province.province, year=2025, title="Kế hoạch năm 2025")


def scheme(plan, unit, status, **fields):
    approved = status not in ("proposed", "submitted", "cancelled")
    return f.SchemeFactory(
        plan=plan,
        unit=unit,
        status=status,
        approval_number="12/QĐ-SCT" if approved else "",
        approval_date=datetime.date(2025, 3, 1) if approved else None,
        start_date=datetime.date(2025, 4, 1),
        end_date=fields.pop("end_date", datetime.date(2025, 11, 30)),
        **fields,
    )


def request_in(unit, status="draft", year=2027, name=None, **fields):
    facility = f.FacilityFactory(unit=unit, **({"name": name} if name else {}))
    return f.SupportRequestFactory(facility=facility, year=year, status=status, **fields)


def html_of(client, user):
    client.force_login(user)
    response = client.get(reverse("duties:task_list"))
    assert response.status_code == 200
    return response.content.decode()


def section(html, anchor):
    """The HTML of the page's section `anchor` (up to the next section)."""
    start = html.index(f'<section id="{anchor}">')
    return html[start : html.index("</section>", start)]


def page_count(html):
    return int(re.search(r'class="task-total" data-count="(\d+)"', html).group(1))


def badge_count(client):
    badge = client.get(reverse("duties:nav_badge")).content.decode()
    found = re.search(r'class="nav-count[^"]*" data-count="(\d+)"', badge)
    return int(found.group(1)) if found else 0


def test_the_manager_is_shown_what_awaits_his_approval(client, province, plan, manager):
    draft = f.PlanFactory(
        unit=province.province,
        year=2027,
        status=Plan.Status.SUBMITTED,
        decision_number="",
        decision_date=None,
        title="Kế hoạch khuyến công địa phương năm 2027",
    )
    proposed = scheme(plan, province.district, "submitted", title="Lò sấy chè Bắc Quang")
    with_minutes = scheme(plan, province.district, "awaiting_acceptance", title="Máy vò chè")
    f.AcceptanceFactory(scheme=with_minutes, held_on=datetime.date(2025, 9, 1))
    scheme(plan, province.district, "awaiting_acceptance", title="Dây chuyền mật ong")
    scheme(plan, province.district, "in_progress", title="Máy sấy thảo quả")

    work = section(html_of(client, manager), "cho-xu-ly")
    assert "Kế hoạch – chờ phê duyệt" in work and "bước tiếp theo: Phê duyệt kế hoạch" in work
    assert f'href="/plans/{draft.pk}/"' in work
    assert "Đề án – chờ phê duyệt" in work and "bước tiếp theo: Phê duyệt</span>" in work
    assert f'href="/schemes/{proposed.pk}/"' in work and "Huyện Bắc Quang" in work
    assert "Phê duyệt nghiệm thu" in work and f'href="/schemes/{with_minutes.pk}/"' in work
    # The acceptance without minutes waits for the officer, the scheme in progress too.
    assert "Dây chuyền mật ong" not in work and "Máy sấy thảo quả" not in work
    assert 'Chờ bạn xử lý <span class="muted small">(3)' in work


def test_the_officer_is_shown_requests_per_year_and_schemes_at_each_of_his_steps(
    client, province, plan, officer
):
    request_in(province.commune, "submitted", 2026, "HTX chè Tân Quang")
    request_in(province.other_commune, "submitted", 2026, "HTX mật ong Lũng Cú")
    request_in(province.commune, "under_review", 2027, "Cơ sở mộc Vĩnh Tuy")
    request_in(province.commune, "draft", 2027, "Cơ sở đan lát Hùng An")
    steps = {
        "approved": "Xác nhận đã ký hợp đồng",
        "contracted": "Bắt đầu triển khai",
        "in_progress": "Đề nghị nghiệm thu",
        "awaiting_acceptance": "Ghi kết quả nghiệm thu (biên bản đạt)",
        "accepted": "Quyết toán, thanh lý",
    }
    schemes = {status: scheme(plan, province.district, status) for status in steps}
    f.AcceptanceFactory(scheme=schemes["accepted"], held_on=datetime.date(2025, 9, 5))
    scheme(plan, province.district, "submitted", title="Chờ lãnh đạo phê duyệt")

    work = section(html_of(client, officer), "cho-xu-ly")
    assert 'Đăng ký nhu cầu năm 2027 – đang xem xét <span class="muted small">(1)' in work
    assert 'Đăng ký nhu cầu năm 2026 – đã gửi <span class="muted small">(2)' in work
    assert "HTX mật ong Lũng Cú" in work and "Cơ sở đan lát Hùng An" not in work
    assert " đ<" not in work  # no sum of money, across years or within one
    for status, step in steps.items():
        assert f"bước tiếp theo: {step}" in work
        assert f'href="/schemes/{schemes[status].pk}/' in work
    assert f'href="/schemes/{schemes["awaiting_acceptance"].pk}/#nghiem-thu"' in work
    assert "Chờ lãnh đạo phê duyệt" not in work
    assert 'Chờ bạn xử lý <span class="muted small">(8)' in work


def test_the_district_is_shown_its_own_drafts_once_and_never_another_districts(
    client, province, plan, district_user
):
    request_in(province.commune, "draft", 2027, "HTX chè Tân Quang")
    request_in(province.commune, "draft", 2026, "HTX miến dong Bắc Quang")  # its dossier is due
    request_in(province.commune, "submitted", 2027, "Cơ sở mộc Vĩnh Tuy")  # the province's now
    request_in(province.other_commune, "draft", 2027, "HTX mật ong Lũng Cú")

    html = html_of(client, district_user)
    work = section(html, "cho-xu-ly")
    assert "Đăng ký nhu cầu năm 2027 – nháp" in work and "bước tiếp theo: Gửi lên tỉnh" in work
    assert "HTX chè Tân Quang" in work and "Cơ sở mộc Vĩnh Tuy" not in work
    # The draft whose dossier is due is listed once, by its deadline, with its step.
    assert html.count("HTX miến dong Bắc Quang") == 1
    assert "HTX miến dong Bắc Quang" not in work and "Bước tiếp theo: Gửi lên tỉnh" in html
    assert "HTX mật ong Lũng Cú" not in html
    # Every state whose next step is the district's is listed (today: the draft; "returned"
    # for additions once its life cycle has it).
    assert set(waiting_states(SupportRequest, User.Role.DISTRICT)) >= {"draft"}


def test_administrators_take_no_step_of_their_own(client, province, plan, admin_user):
    request_in(province.commune, "submitted", 2026)
    scheme(plan, province.district, "proposed")
    html = html_of(client, admin_user)
    assert "Quản trị hệ thống không có bước xử lý riêng" in section(html, "cho-xu-ly")
    assert badge_count(client) == page_count(html)


def test_each_record_says_since_when_it_waits(client, province, plan, manager):
    waiting = scheme(plan, province.district, "submitted", title="Lò sấy chè Bắc Quang")
    entered = timezone.make_aware(datetime.datetime(2025, 8, 29, 9, 30))
    Scheme.objects.filter(pk=waiting.pk).update(updated_at=entered)
    work = section(html_of(client, manager), "cho-xu-ly")
    assert "29/08/2025" in work and "12 ngày" in work


def test_a_group_shows_its_longest_waiting_records_and_links_to_all(
    client, province, plan, officer, monkeypatch
):
    monkeypatch.setattr("duties.work.SHOWN", 2)
    for n in range(3):
        request_in(province.commune, "submitted", 2026, f"Cơ sở số {n}")
    work = section(html_of(client, officer), "cho-xu-ly")
    assert work.count('href="/requests/') == 2 + 1
    assert 'href="/requests/?status=submitted&amp;year=2026"' in work
    assert "Xem tất cả 3 hồ sơ (1 hồ sơ khác chưa hiện ở đây)" in work


# Notices to the district ------------------------------------------------------------------


@pytest.fixture
def other_users(province):
    """Who must not be told: another district's staff, an inactive colleague, the officer."""
    return [
        f.UserFactory(username="dongvan", role=User.Role.DISTRICT, unit=province.other_district),
        f.UserFactory(
            username="nghi", role=User.Role.DISTRICT, unit=province.district, is_active=False
        ),
    ]


def notices_of(user):
    return list(Notification.objects.filter(user=user).notices().values_list("title", flat=True))


def test_a_refused_request_is_told_to_its_district_with_the_reason(
    client, province, plan, officer, district_user, other_users
):
    commune_user = f.UserFactory(
        username="tanquang", role=User.Role.DISTRICT, unit=province.commune
    )
    request = request_in(province.commune, "submitted", 2026, "HTX chè Tân Quang")
    run_transition(
        SupportRequest, request.pk, "reject", officer, reason="Đã được hỗ trợ máy này năm 2023."
    )
    (title,) = notices_of(district_user)
    assert title.startswith("Đăng ký của HTX chè Tân Quang")
    assert "(năm 2026) không được chọn. Lý do: Đã được hỗ trợ máy này năm 2023." in title
    assert notices_of(commune_user) == [title]
    assert all(notices_of(u) == [] for u in [*other_users, officer])

    html = html_of(client, district_user)
    notices = section(html, "thong-bao")
    assert "Lý do: Đã được hỗ trợ máy này năm 2023." in notices and "10/09/2025" in notices
    assert badge_count(client) == page_count(html) == 1
    notice = Notification.objects.get(user=district_user)
    response = client.get(reverse("duties:notification_open", args=[notice.pk]))
    assert response.url == f"/requests/{request.pk}/"
    html = html_of(client, district_user)
    assert "Không có thông báo mới." in section(html, "thong-bao")
    assert badge_count(client) == page_count(html) == 0


def test_a_request_taken_into_a_plan_is_told_with_its_scheme(
    province, plan, officer, district_user, other_users
):
    request = request_in(province.commune, "under_review", 2026, "HTX chè Tân Quang")
    into = scheme(plan, province.district, "proposed", code="ĐP-2026-03", title="Máy sao chè")
    f.SchemeBeneficiaryFactory(scheme=into, facility=request.facility, request=request)
    run_transition(SupportRequest, request.pk, "include", officer, from_service=True)
    assert notices_of(district_user) == [
        "Đăng ký của HTX chè Tân Quang – "
        f"{request.activity_type.name} (năm 2026) được đưa vào kế hoạch: "
        "đề án ĐP-2026-03 – Máy sao chè"
    ]
    assert all(notices_of(u) == [] for u in other_users)


def test_a_request_linked_to_its_scheme_after_the_step_is_told_on_commit(
    province, plan, officer, district_user, django_capture_on_commit_callbacks
):
    request = request_in(province.commune, "submitted", 2026, "HTX chè Tân Quang")
    into = scheme(plan, province.district, "proposed", code="ĐP-2026-04", title="Lò sấy")
    with django_capture_on_commit_callbacks(execute=True):
        run_transition(SupportRequest, request.pk, "include", officer, from_service=True)
        assert notices_of(district_user) == []
        f.SchemeBeneficiaryFactory(scheme=into, facility=request.facility, request=request)
    (title,) = notices_of(district_user)
    assert title.endswith("được đưa vào kế hoạch: đề án ĐP-2026-04 – Lò sấy")


def test_a_request_returned_for_additions_is_told_with_the_reason(province, district_user):
    """The officer's "trả lại bổ sung" (return_for_additions, with a reason) comes with the
    request's new life cycle; its notice is written from the same signal as the others."""
    request = request_in(province.commune, "submitted", 2026, "HTX chè Tân Quang")
    post_transition.send(
        sender=SupportRequest,
        instance=request,
        name="return_for_additions",
        source="submitted",
        target="returned",
        method_args=(),
        method_kwargs={"reason": "Thiếu bản sao giấy đăng ký kinh doanh."},
    )
    (title,) = notices_of(district_user)
    assert title.endswith(
        "được trả lại để bổ sung hồ sơ. Lý do: Thiếu bản sao giấy đăng ký kinh doanh."
    )


def test_notices_are_e_mailed_like_reminders(province, plan, officer, district_user):
    district_user.email = "bacquang@example.vn"
    district_user.save()
    request = request_in(province.commune, "submitted", 2026, "HTX chè Tân Quang")
    run_transition(SupportRequest, request.pk, "reject", officer, reason="Trùng nội dung.")
    assert reminders_deliver() == 1
    (message,) = mail.outbox
    assert message.subject.startswith("[Khuyến công] Thông báo: Đăng ký của HTX chè Tân Quang")
    assert "xin thông báo (10/09/2025)" in message.body and "Lý do: Trùng nội dung." in message.body
    assert "Hạn:" not in message.body


# The menu's count --------------------------------------------------------------------------


@pytest.fixture
def world(province, plan):
    """Work for every role, in both districts, and things due."""
    request_in(province.commune, "draft", 2027)
    request_in(province.commune, "draft", 2026)
    request_in(province.other_commune, "draft", 2027)
    request_in(province.commune, "submitted", 2026)
    request_in(province.other_commune, "under_review", 2027)
    scheme(plan, province.district, "proposed")
    scheme(plan, province.district, "submitted")
    scheme(plan, province.district, "in_progress", end_date=datetime.date(2025, 9, 1))
    scheme(plan, province.other_district, "contracted")
    f.ContractFactory(
        scheme=scheme(plan, province.district, "approved"), signed_on=datetime.date(2024, 5, 2)
    )
    return plan


@pytest.mark.parametrize("role", ["district", "officer", "manager", "admin"])
def test_the_badge_always_counts_what_the_page_lists(
    client, province, world, role, district_user, officer, manager, admin_user
):
    user = {"district": district_user, "officer": officer, "manager": manager}.get(role, admin_user)
    html = html_of(client, user)
    before = page_count(html)
    assert before > 0 and badge_count(client) == before
    # The records move on; a notice comes; the badge follows at once, no cache in between.
    officer_request = SupportRequest.objects.filter(status="submitted").first()
    run_transition(SupportRequest, officer_request.pk, "reject", officer, reason="Trùng.")
    request_in(province.commune, "submitted", 2027)
    scheme(world, province.district, "submitted")
    html = html_of(client, user)
    assert badge_count(client) == page_count(html)
    work = section(html, "cho-xu-ly")
    listed = len(re.findall(r'<tr>\s*<td data-main data-label="Hồ sơ"><a href=', work))
    listed += section(html, "thong-bao").count('<li class="unread">')
    listed += html.count('<tr class="overdue">') + html.count('<tr class="soon">')
    assert listed == page_count(html)


def test_the_badge_takes_the_same_queries_however_much_waits(
    client, province, plan, officer, manager, district_user
):
    def populate():
        request_in(province.commune, "submitted", 2026)
        request_in(province.commune, "draft", 2027)
        scheme(plan, province.district, "proposed")
        scheme(plan, province.district, "in_progress", end_date=datetime.date(2025, 9, 1))
        f.AcceptanceFactory(scheme=scheme(plan, province.district, "awaiting_acceptance"))
        f.NotificationFactory(user=district_user, stage="notice", kind="request_rejected")

    url = reverse("duties:nav_badge")
    populate()
    for user in (officer, manager, district_user):
        client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for _ in range(5):
            populate()
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many.captured_queries) == len(few.captured_queries) <= 12, user.role


def test_the_page_takes_the_same_queries_however_much_waits(client, province, plan, officer):
    def populate():
        request_in(province.commune, "submitted", 2026)
        request_in(province.commune, "under_review", 2027)
        for status in ("approved", "contracted", "in_progress", "awaiting_acceptance"):
            scheme(plan, province.district, status)

    url = reverse("duties:task_list")
    populate()
    client.force_login(officer)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        populate()
    with CaptureQueriesContext(connection) as many:
        # and the province's national-plan dossier, which waits for the requests of 2026
        assert page_count(client.get(url).content.decode()) == 5 * 6 + 1
    assert len(many.captured_queries) == len(few.captured_queries)
