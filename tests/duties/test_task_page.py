"""The "Việc cần làm" page: scoped like every list, grouped by stage, in Vietnamese, with a
constant number of queries; its badge in the navigation; reading reminders."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duties.models import Notification
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 5, 21)


def day(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def plan(province):
    """The 2024 plan; next year's national plan is drafted and last quarter's report made, so
    that only the records of each test are due."""
    f.PlanFactory(unit=province.province, year=2026)
    f.QuarterlyReportFactory(
        unit=province.province, year=2025, quarter=1, status="done", pdf="r/q.pdf"
    )
    return f.PlanFactory(unit=province.province, year=2024)


def scheme_in(plan, unit, **fields):
    return f.SchemeFactory(
        plan=plan,
        unit=unit,
        status=fields.pop("status", "in_progress"),
        approval_number="12/QĐ-SCT",
        approval_date=day("01/03/2024"),
        start_date=day("01/04/2024"),
        **fields,
    )


@pytest.fixture
def world(province, plan):
    """Bắc Quang: a scheme ending in four days, a contract of 2024 not closed and a draft
    request for 2026; Đồng Văn: a scheme past its end date and a draft request."""
    bac_quang = scheme_in(
        plan, province.district, title="Máy sao chè Bắc Quang", end_date=day("25/05/2025")
    )
    f.InspectionFactory(scheme=bac_quang, inspected_on=day("05/05/2025"))
    f.ContractFactory(scheme=bac_quang, number="07/2024/HĐ-KC", signed_on=day("02/05/2024"))
    dong_van = scheme_in(
        plan, province.other_district, title="Lò sấy thịt bò Đồng Văn", end_date=day("30/04/2025")
    )
    f.InspectionFactory(scheme=dong_van, inspected_on=day("06/05/2025"))
    f.SupportRequestFactory(
        facility=f.FacilityFactory(unit=province.commune, name="HTX chè Tân Quang"), year=2026
    )
    f.SupportRequestFactory(
        facility=f.FacilityFactory(unit=province.other_commune, name="HTX mật ong Lũng Cú"),
        year=2026,
    )
    return bac_quang, dong_van


def page(client, user):
    client.force_login(user)
    response = client.get(reverse("duties:task_list"))
    assert response.status_code == 200
    return response.content.decode()


def test_district_staff_see_the_dossiers_of_their_own_district_only(
    client, world, district_user, other_district_user
):
    mine = page(client, district_user)
    assert "HTX chè Tân Quang" in mine
    assert "HTX mật ong Lũng Cú" not in mine
    assert "Máy sao chè Bắc Quang" not in mine  # the officers' work
    theirs = page(client, other_district_user)
    assert "HTX mật ong Lũng Cú" in theirs
    assert "HTX chè Tân Quang" not in theirs
    assert "Bắc Quang" not in theirs.split("<main>")[1]


def test_officers_see_the_province_grouped_by_stage_with_dates_as_vietnamese_write_them(
    client, world, officer
):
    html = page(client, officer)
    overdue, soon = html.split("<h2>Quá hạn")[1].split("<h2>Sắp đến hạn")
    soon = soon.split("<h2>Thông báo nhắc việc")[0]
    assert "Lò sấy thịt bò Đồng Văn" in overdue and "30/04/2025" in overdue
    assert "quá 21 ngày" in overdue
    assert "Thanh lý hợp đồng 07/2024/HĐ-KC" in overdue and "22/01/2025" in overdue
    assert "Máy sao chè Bắc Quang" in soon and "25/05/2025" in soon and "còn 4 ngày" in soon
    bac_quang, _ = world
    assert f'href="/schemes/{bac_quang.pk}/"' in soon
    assert "HTX chè Tân Quang" not in html  # the district's dossiers are not his to do
    assert "Hôm nay 21/05/2025" in html


def test_the_page_takes_the_same_queries_for_few_or_many_items(
    client, province, plan, officer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def populate(n):
        for _ in range(n):
            scheme = scheme_in(plan, province.district, end_date=day("25/05/2025"))
            f.ContractFactory(scheme=scheme, signed_on=day("02/05/2024"))
            f.NotificationFactory(user=officer, key=f"scheme-end:{scheme.pk}:20250525")

    populate(2)
    client.force_login(officer)
    url = reverse("duties:task_list")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).content.decode().count("<tr class=") == 2 * 3
    populate(15)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count("<tr class=") == 17 * 3


def test_the_nav_links_to_the_page_and_loads_its_count_after_the_page(
    client, world, officer, district_user
):
    client.force_login(district_user)
    html = client.get(reverse("beneficiaries:facility_list")).content.decode()
    assert 'href="/tasks/"' in html and "Việc cần làm" in html
    assert 'hx-get="/tasks/badge/"' in html
    f.NotificationFactory(user=district_user)
    badge = client.get(reverse("duties:nav_badge")).content.decode()
    assert ">1<" in badge and "1 việc quá hạn, 0 việc sắp đến hạn, 1 thông báo chưa đọc" in badge
    client.force_login(officer)
    badge = client.get(reverse("duties:nav_badge")).content.decode()
    assert "2 việc quá hạn, 1 việc sắp đến hạn, 0 thông báo chưa đọc" in badge


def test_the_badge_is_empty_for_a_visitor_whose_session_ended(client):
    response = client.get(reverse("duties:nav_badge"))
    assert response.status_code == 200 and response.content == b""


def test_opening_a_reminder_marks_it_read_and_goes_to_its_record(client, officer, manager):
    notification = f.NotificationFactory(user=officer, url="/schemes/12/#hop-dong")
    client.force_login(manager)
    assert (
        client.get(reverse("duties:notification_open", args=[notification.pk])).status_code == 404
    )
    client.force_login(officer)
    html = client.get(reverse("duties:task_list")).content.decode()
    assert "1 chưa đọc" in html and "Thanh lý hợp đồng 01/2022/HĐ-KC" in html
    response = client.get(reverse("duties:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == "/schemes/12/#hop-dong"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_reminder_never_sends_anyone_off_the_portal(client, officer):
    notification = f.NotificationFactory(user=officer, url="//evil.example.com/")
    client.force_login(officer)
    response = client.get(reverse("duties:notification_open", args=[notification.pk]))
    assert response.url == reverse("duties:task_list")


def test_marking_read_one_or_all_of_ones_own_reminders(client, officer, manager):
    first, second, third = (f.NotificationFactory(user=officer) for _ in range(3))
    someone_elses = f.NotificationFactory(user=manager)
    client.force_login(officer)
    assert (
        client.post(reverse("duties:notification_read", args=[someone_elses.pk])).status_code == 404
    )
    client.post(reverse("duties:notification_read", args=[first.pk]))
    assert set(Notification.objects.unread().values_list("pk", flat=True)) == {
        second.pk,
        third.pk,
        someone_elses.pk,
    }
    client.post(reverse("duties:notification_read_all"))
    assert list(Notification.objects.unread().values_list("pk", flat=True)) == [someone_elses.pk]


def test_administrators_see_everything_but_are_told_they_are_not_reminded(
    client, world, admin_user
):
    html = page(client, admin_user)
    assert "HTX chè Tân Quang" in html and "Lò sấy thịt bò Đồng Văn" in html
    assert "Quản trị hệ thống không nhận nhắc việc" in html


def test_overdue_work_is_shown_a_page_at_a_time(client, province, plan, officer):
    for n in range(53):
        scheme = scheme_in(plan, province.district, end_date=day("30/06/2025"))
        f.ContractFactory(scheme=scheme, number=f"{n:02}/2024/HĐ-KC", signed_on=day("02/05/2024"))
    client.force_login(officer)
    url = reverse("duties:task_list")
    first, second = client.get(url).content.decode(), client.get(url, {"page": 2}).content.decode()
    assert "Quá hạn <span" in first and "(53)" in first and "Trang 1/2" in first
    assert first.count("/2024/HĐ-KC") == 50 and second.count("/2024/HĐ-KC") == 3
    assert "Thanh lý hợp đồng 52/2024/HĐ-KC" in second


def test_the_badge_counts_due_work_and_reminders_afresh_each_time(client, province, plan, officer):
    scheme_in(plan, province.district, end_date=day("25/05/2025"))
    client.force_login(officer)
    badge = reverse("duties:nav_badge")
    assert "0 việc quá hạn, 2 việc sắp đến hạn, 0 thông báo chưa đọc" in client.get(badge).text
    scheme_in(plan, province.district, end_date=day("26/05/2025"))  # two more items
    f.NotificationFactory(user=officer)
    answer = client.get(badge).text
    assert "0 việc quá hạn, 4 việc sắp đến hạn, 1 thông báo chưa đọc" in answer
    assert 'data-count="4"' in answer
    page = client.get(reverse("duties:task_list")).text
    assert "(4, trong" in page and 'class="task-total" data-count="4"' in page
