"""The "Việc cần làm" page, its badge in the navigation, and reading reminders and notices."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from khuyencong.pagination import paginate
from khuyencong.responses import list_export
from khuyencong.scope import home_unit
from khuyencong.spreadsheets import Column

from . import deadlines, services
from .models import Notification
from .selectors import due_items, responsible_kinds
from .work import TaskCounts, task_counts, unread_counts, work_groups

NOTIFICATIONS_SHOWN = 20
NOTICES_SHOWN = 50


def task_list(request):
    """What waits for the user in the life cycles, the notices he has not read, and what is
    overdue and due soon, in his scope, each linking to its record; then his latest reminders
    and notices. Its count is the badge's (work.task_counts counts the same)."""
    user = request.user
    today = timezone.localdate()
    items = due_items(user, today)
    groups = work_groups(user, today)
    mine = Notification.objects.filter(user=user)
    unread_notices, unread = unread_counts(user)
    overdue = [i for i in items if i.stage == deadlines.OVERDUE]
    counts = TaskCounts(
        work=sum(g.total for g in groups),
        due=len(items),
        overdue=len(overdue),
        notices=unread_notices,
        unread=unread,
    )
    context = {
        "today": today,
        "unit": home_unit(user),
        "counts": counts,
        "groups": groups,
        "notices": list(mine.notices().unread().order_by("-created_at", "-pk")[:NOTICES_SHOWN]),
        # Ten provinces' overdue work runs to a thousand lines: a page of them at a time.
        "overdue": paginate(request, overdue),
        "soon": [i for i in items if i.stage == deadlines.SOON],
        "notifications": list(mine.order_by("-created_at", "-pk")[:NOTIFICATIONS_SHOWN]),
        "unread": unread,
        "responsible": bool(responsible_kinds(user)),
        "soon_days": deadlines.DUE_SOON_DAYS,
        "notifications_shown": NOTIFICATIONS_SHOWN,
        "rules": _rules(),
        "nav_active": "tasks",
    }
    return render(request, "duties/task_list.html", context)


DUE_COLUMNS = [
    Column("Hạn", lambda i: i.due_on, "date", 12),
    Column("Tình trạng", lambda i: i.stage_label, width=16),
    Column("Số ngày quá hạn", lambda i: i.days_late if i.days_late > 0 else None, "number", 10),
    Column("Loại việc", lambda i: i.kind_label, width=28),
    Column("Việc cần làm", lambda i: i.title, width=48),
    Column("Chi tiết", lambda i: i.detail, width=36),
    Column("Địa bàn", lambda i: i.place, width=24),
    Column("Người chịu trách nhiệm", lambda i: i.responsible, width=30),
]


def task_export(request):
    """What is overdue and due soon for the user, in his scope, as the page lists it (all of the
    overdue, not only their page)."""
    return list_export(
        request,
        name="viec-can-lam",
        title="Việc cần làm",
        columns=DUE_COLUMNS,
        rows=due_items(request.user, timezone.localdate()),
        back=reverse("duties:task_list"),
    )


def _rules():
    d = deadlines
    return [
        ("Hồ sơ đăng ký nhu cầu cho kế hoạch năm sau gửi Sở Công Thương", "20/05"),
        ("Hồ sơ kế hoạch khuyến công quốc gia năm sau gửi Bộ Công Thương", "15/06"),
        ("Báo cáo tiến độ đề án đang triển khai", f"trước ngày {d.PROGRESS_DAY} hằng tháng"),
        ("Đề án chưa nghiệm thu", "ngày kết thúc của đề án"),
        ("Hồ sơ quyết toán", f"{d.SETTLEMENT_DAYS} ngày sau nghiệm thu"),
        ("Thanh lý hợp đồng", "22/01 năm sau năm kế hoạch"),
        ("Báo cáo tiến độ quý", f"{d.QUARTERLY_REPORT_DAYS} ngày sau khi hết quý"),
    ]


@login_not_required
def nav_badge(request):
    """The count in the navigation, loaded by htmx after the page so that no page waits for it;
    empty (and never a login page) for a visitor whose session has ended. Counted afresh each
    time, by the database (a COUNT per kind of work), so it always equals the page's count."""
    if not request.user.is_authenticated:
        return HttpResponse("")
    counts = task_counts(request.user, timezone.localdate())
    return render(request, "duties/_nav_badge.html", {"counts": counts})


def notification_open(request, pk):
    """Follow a reminder (from the page or its e-mail): marks it read, then goes to its record."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_mark_read(user=request.user, notification=notification)
    return redirect(services.safe_local_url(notification.url))


@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_mark_read(user=request.user, notification=notification)
    return redirect("duties:task_list")


@require_POST
def notification_read_all(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("duties:task_list")
