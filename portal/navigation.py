"""The navigation of the base layout, by role."""

from django.urls import reverse

from khuyencong.roles import can_use_reports


def navigation(request):
    # No user on a request refused before the authentication middleware (a bad Host: the 400 page).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        ("dashboard", "Tổng quan", reverse("dashboard")),
        ("facilities", "Cơ sở CNNT", reverse("beneficiaries:facility_list")),
        ("requests", "Đăng ký nhu cầu", reverse("beneficiaries:request_list")),
    ]
    if user.is_provincial:
        items.append(("review", "Xét duyệt nhu cầu", reverse("beneficiaries:request_review_queue")))
    items.append(("plans", "Kế hoạch", reverse("plans:plan_list")))
    items.append(("schemes", "Đề án", reverse("schemes:scheme_list")))
    if can_use_reports(user):
        items.append(("reports", "Báo cáo", reverse("reports:report_list")))
    if user.is_staff:
        items.append(("admin", "Quản trị", reverse("admin:index")))
    match = request.resolver_match
    active = "dashboard"
    if match and match.namespace == "beneficiaries":
        if match.url_name == "request_review_queue":
            active = "review"
        elif match.url_name.startswith("request"):
            active = "requests"
        else:
            active = "facilities"
    elif match and match.namespace in ("plans", "schemes", "reports"):
        active = match.namespace
    return {"nav_items": items, "nav_active": active}
