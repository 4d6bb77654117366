"""django-axes (the sign-in lockout) as the admin shows it: in Vietnamese. Its app has no
Vietnamese name and its records name themselves in English (locale/vi translates the rest)."""

from axes.apps import AppConfig


class AxesConfig(AppConfig):
    verbose_name = "Khóa đăng nhập"

    def ready(self):
        super().ready()
        from axes.admin import AccessAttemptAdmin
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        from .dates import format_datetime_vn

        # Their __str__ (the admin's titles, breadcrumbs and check boxes) is English in code.
        AccessAttempt.__str__ = lambda self: (
            f"Đăng nhập sai: {self.username}, {format_datetime_vn(self.attempt_time)}"
        )
        AccessLog.__str__ = lambda self: (
            f"Đăng nhập: {self.username}, {format_datetime_vn(self.attempt_time)}"
        )
        AccessFailureLog.__str__ = lambda self: (
            f"Lỗi đăng nhập: {self.username}, {format_datetime_vn(self.attempt_time)}"
        )
        AccessAttemptAdmin.status.short_description = "Trạng thái"
