"""A generated quarterly report is an official record: its files, the hash of its figures, who
asked for it and when. Regenerating a quarter makes a new version beside the old one."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from khuyencong.dates import YEAR_OUT_OF_RANGE, Quarter, plausible_year_q
from khuyencong.models import AdministrativeUnit, NormalizedModel
from khuyencong.scope import ScopedQuerySet

IN_FLIGHT = ("queued", "running")  # a report still being made: at most one per quarter and scope
IN_FLIGHT_MESSAGE = (
    "Báo cáo quý này của phạm vi này đang được tạo; xin chờ báo cáo đó xong rồi hãy yêu cầu lại."
)

# A report's files have fixed names and are overwritten: a run cut off by a killed worker and
# the run that finishes it leave one file, not two.
_report_files = FileSystemStorage(allow_overwrite=True)


def report_storage():
    return _report_files


class QuarterlyReport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ xử lý"
        RUNNING = "running", "Đang tạo"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField("quý")
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name="phạm vi",
        on_delete=models.PROTECT,
        related_name="reports",
    )
    version = models.PositiveSmallIntegerField("lần tạo", default=1)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người yêu cầu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    automatic = models.BooleanField(
        "tạo tự động", default=False, help_text="Do lịch cuối quý tạo, không do người yêu cầu."
    )
    requested_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)
    dispatched_at = models.DateTimeField("gửi hàng đợi lúc", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    pdf = models.FileField("tệp PDF", upload_to="reports/", storage=report_storage, blank=True)
    xlsx = models.FileField("tệp Excel", upload_to="reports/", storage=report_storage, blank=True)
    figures_hash = models.CharField("mã băm số liệu", max_length=64, blank=True)
    error_message = models.TextField("thông báo lỗi", blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo tiến độ quý"
        verbose_name_plural = "báo cáo tiến độ quý"
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="report_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=plausible_year_q(),
                name="report_year_plausible",
                violation_error_code="year",
                violation_error_message=YEAR_OUT_OF_RANGE,
            ),
            models.UniqueConstraint(
                fields=["year", "quarter", "unit", "version"], name="report_version_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(pdf=""), name="report_done_has_pdf"
            ),
            # Two requests at the same instant make one report: the second finds this one.
            models.UniqueConstraint(
                fields=["unit", "year", "quarter"],
                condition=Q(status__in=IN_FLIGHT),
                name="report_one_in_flight",
                violation_error_message=IN_FLIGHT_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"Báo cáo quý {self.quarter}/{self.year} – {self.unit} (lần {self.version})"

    def file_stem(self):
        return f"bao-cao-quy-{self.quarter}-{self.year}-{self.unit.code}-lan-{self.version}"

    @property
    def made_on(self):
        """The day the report's figures were taken (its run began), in the portal's time zone."""
        return timezone.localdate(self.started_at) if self.started_at else None

    @property
    def to_date_until(self):
        """The day a report of a quarter still running on `made_on` counts up to; None for a
        report of a quarter that had ended, or one not made yet."""
        day = self.made_on
        return day if day and Quarter(self.year, self.quarter).is_running(day) else None

    @property
    def is_pending(self):
        return self.status in IN_FLIGHT


DEFAULT_RECIPIENTS = ("Sở Công Thương;", "{ministry};", "Lưu: VT, TTKC.")


def default_recipients(day=None):
    """The usual "Nơi nhận" of a quarterly report, with the ministry department of `day`
    (default: today)."""
    from .services import ministry_department  # services imports this module

    day = day or timezone.localdate()
    return "\n".join(DEFAULT_RECIPIENTS).format(ministry=ministry_department(day))


class ReportSigner(NormalizedModel):
    """Who signs the quarterly reports of a unit (and of the units below it), and to whom they
    are sent: the signature block and the "Nơi nhận" of the PDF. Kept in the admin."""

    unit = models.OneToOneField(
        AdministrativeUnit,
        verbose_name="đơn vị",
        on_delete=models.CASCADE,
        related_name="report_signer",
        help_text="Báo cáo của đơn vị này và của các đơn vị cấp dưới dùng người ký này "
        "(trừ đơn vị cấp dưới có người ký riêng).",
    )
    authority = models.CharField(
        "thẩm quyền ký",
        max_length=60,
        blank=True,
        help_text="Ví dụ: “KT. GIÁM ĐỐC” khi cấp phó ký thay; để trống khi người đứng đầu ký.",
    )
    title = models.CharField("chức vụ người ký", max_length=60, default="GIÁM ĐỐC")
    name = models.CharField("họ và tên người ký", max_length=100, blank=True)
    recipients = models.TextField(
        "nơi nhận",
        default=default_recipients,
        help_text="Mỗi dòng một nơi nhận, ví dụ “Sở Công Thương;”; dấu “-” đầu dòng được thêm "
        "khi in.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "người ký, nơi nhận báo cáo quý"
        verbose_name_plural = "người ký, nơi nhận báo cáo quý"

    def __str__(self):
        return f"{self.title} {self.name}".strip() + f" – {self.unit}"

    def recipient_lines(self):
        """The recipients, one a line, without the dash the template puts before each."""
        lines = (line.strip().lstrip("-–").strip() for line in self.recipients.splitlines())
        return [line for line in lines if line]
