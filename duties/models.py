"""Reminders of what is due, and notices of what happened to a user's records: one row per
user, item and stage, shown in the portal and e-mailed once."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from . import deadlines

# A notice tells of an event (a request refused, taken into a plan, returned for additions):
# no due date to remind of, its `due_on` is the day it happened.
NOTICE = "notice"
STAGES = {**deadlines.STAGES, NOTICE: "Thông báo"}


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def notices(self):
        return self.filter(stage=NOTICE)

    def reminders(self):
        return self.exclude(stage=NOTICE)

    def to_email(self):
        return self.filter(email_status=Notification.EmailStatus.PENDING)


class Notification(models.Model):
    """A reminder that a due item has reached a stage (due soon, overdue), or a notice of an
    event (stage NOTICE), for one user.

    The unique (user, key, stage) makes it once, however often the daily task runs; the row is
    also the e-mail's outbox: it is written first and sent after, so a crash in between loses
    nothing (the next run sends what is still pending).
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        NO_ADDRESS = "no_address", "Không có địa chỉ thư"
        FAILED = "failed", "Gửi không được"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhận",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField("mã việc", max_length=100)
    stage = models.CharField("mức", max_length=10, choices=list(STAGES.items()))
    kind = models.CharField("loại việc", max_length=30)
    title = models.CharField("nội dung", max_length=500)
    due_on = models.DateField("hạn")
    url = models.CharField("đường dẫn", max_length=300)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    email_status = models.CharField(
        "thư điện tử",
        max_length=20,
        choices=EmailStatus.choices,
        default=EmailStatus.PENDING,
    )
    emailed_at = models.DateTimeField("gửi thư lúc", null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField("số lần gửi thư", default=0)
    email_error = models.TextField("lỗi gửi thư", blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "thông báo nhắc việc"
        verbose_name_plural = "thông báo nhắc việc"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "stage"], name="notification_once_per_item_and_stage"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=list(STAGES)), name="notification_stage_known"
            ),
        ]
        indexes = [
            models.Index(
                fields=["user"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(
                fields=["email_status"],
                condition=Q(email_status="pending"),
                name="notification_email_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()}: {self.title}"
