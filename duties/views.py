"""The "Việc cần làm" page, its badge in the navigation, and reading reminders."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from khuyencong.pagination import paginate
from khuyencong.scope import home_unit

from . import deadlines, services
from .models import Notification
from .selectors import due_items, responsible_kinds

NOTIFICATIONS_SHOWN = 20
BADGE_SECONDS = 60


def task_list(request):
    """What is overdue and due soon for the user, in his scope, each linking to its record;
    and his latest reminders."""
    today = timezone.localdate()
    items = due_items(request.user, today)
    notifications = list(
        Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")[
            :NOTIFICATIONS_SHOWN
        ]
    )
    unit = home_unit(request.user)
    context = {
        "today": today,
        "unit": unit,
        # Ten provinces' overdue work runs to a thousand lines: a page of them at a time.
        "overdue": paginate(request, [i for i in items if i.stage == deadlines.OVERDUE]),
        "soon": [i for i in items if i.stage == deadlines.SOON],
        "notifications": notifications,
        "unread": Notification.objects.filter(user=request.user).unread().count(),
        "responsible": bool(responsible_kinds(request.user)),
        "soon_days": deadlines.DUE_SOON_DAYS,
        "notifications_shown": NOTIFICATIONS_SHOWN,
        "rules": _rules(),
        "nav_active": "tasks",
    }
    return render(request, "duties/task_list.html", context)


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
    empty (and never a login page) for a visitor whose session has ended. The due items are
    counted at most once a minute per user: every page view asks, and at ten provinces' scale
    finding them all takes 200 ms. Unread reminders are counted each time (one cheap query), so
    reading one shows at once."""
    if not request.user.is_authenticated:
        return HttpResponse("")
    today = timezone.localdate()
    count, overdue = cache.get_or_set(
        f"duties:badge:{request.user.pk}:{today:%Y%m%d}",
        lambda: _due_counts(request.user, today),
        BADGE_SECONDS,
    )
    unread = Notification.objects.filter(user=request.user).unread().count()
    return render(
        request,
        "duties/_nav_badge.html",
        {"count": count, "overdue": overdue, "soon": count - overdue, "unread": unread},
    )


def _due_counts(user, today):
    """(all due items, overdue ones) of the user."""
    items = due_items(user, today)
    return len(items), sum(1 for i in items if i.stage == deadlines.OVERDUE)


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
