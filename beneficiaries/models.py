"""Facilities (cơ sở CNNT) and their support requests (đăng ký nhu cầu hỗ trợ)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from khuyencong.fields import MoneyField, non_negative
from khuyencong.models import (
    ActivityType,
    AdministrativeUnit,
    ReferenceModel,
    SearchableModel,
    TimeStampedModel,
)
from khuyencong.roles import is_district, is_officer
from khuyencong.scope import ScopedQuerySet
from khuyencong.workflow import precondition

TAX_CODE_PATTERN = r"^[0-9]{10}(-[0-9]{3})?$"


class Sector(ReferenceModel):
    """Ngành nghề: what a facility makes (agro-forestry processing, building materials …)."""

    history = HistoricalRecords()

    class Meta(ReferenceModel.Meta):
        verbose_name = "ngành nghề"
        verbose_name_plural = "ngành nghề"


class Facility(SearchableModel):
    class Kind(models.TextChoices):
        HOUSEHOLD = "household", "Hộ kinh doanh"
        COOP_GROUP = "coop_group", "Tổ hợp tác"
        COOPERATIVE = "cooperative", "Hợp tác xã"
        MICRO = "micro", "Doanh nghiệp siêu nhỏ"
        SMALL = "small", "Doanh nghiệp nhỏ"
        MEDIUM = "medium", "Doanh nghiệp vừa"

    name = models.CharField("tên cơ sở", max_length=255)
    kind = models.CharField("loại hình", max_length=20, choices=Kind.choices)
    sector = models.ForeignKey(Sector, verbose_name="ngành nghề", on_delete=models.PROTECT)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name="xã, phường, thị trấn",
        on_delete=models.PROTECT,
        related_name="facilities",
    )
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    owner_name = models.CharField("người đại diện", max_length=255)
    tax_code = models.CharField("mã số thuế", max_length=14, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    workers = models.PositiveIntegerField("số lao động", default=0)
    products = models.TextField("sản phẩm chính", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = ScopedQuerySet.as_manager()
    search_fields = ("name", "owner_name", "tax_code", "address")

    class Meta:
        verbose_name = "cơ sở CNNT"
        verbose_name_plural = "cơ sở CNNT"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tax_code="") | Q(tax_code__regex=TAX_CODE_PATTERN),
                name="facility_tax_code_format",
            ),
        ]

    def __str__(self):
        return self.name


class SupportRequestQuerySet(ScopedQuerySet):
    scope_lookup = "facility__unit"


def _is_district(request, user):
    return is_district(user)


def _is_provincial(request, user):
    return is_officer(user)


@precondition("Yêu cầu hỗ trợ phải lớn hơn 0 đồng trước khi gửi.")
def _asks_for_money(request):
    return request.support_requested > 0


class SupportRequest(TimeStampedModel):
    """A facility's request for support in a year, entered by district staff."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Nháp"
        SUBMITTED = "submitted", "Đã gửi"
        UNDER_REVIEW = "under_review", "Đang xem xét"
        INCLUDED = "included", "Đã đưa vào kế hoạch"
        REJECTED = "rejected", "Không được chọn"
        WITHDRAWN = "withdrawn", "Đã rút"

    facility = models.ForeignKey(
        Facility, verbose_name="cơ sở", on_delete=models.PROTECT, related_name="requests"
    )
    year = models.PositiveSmallIntegerField("năm kế hoạch")
    activity_type = models.ForeignKey(
        ActivityType, verbose_name="nội dung hỗ trợ", on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField("nội dung đề nghị")
    total_cost = MoneyField("tổng kinh phí")
    support_requested = MoneyField("kinh phí đề nghị hỗ trợ")
    counterpart = MoneyField("kinh phí đối ứng", default=0)
    # The province's priority criteria (the article's "Năm là" solution).
    local_strength = models.BooleanField("sản phẩm thế mạnh địa phương", default=False)
    environment_friendly = models.BooleanField("thân thiện môi trường", default=False)
    new_technology = models.BooleanField("áp dụng công nghệ mới", default=False)
    new_product = models.BooleanField("sản xuất sản phẩm mới", default=False)
    local_materials = models.BooleanField("sử dụng nguyên liệu tại chỗ", default=False)
    labour_intensive = models.BooleanField("sử dụng nhiều lao động", default=False)
    status = FSMField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT)
    reject_reason = models.TextField("lý do không chọn", blank=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = SupportRequestQuerySet.as_manager()

    PRIORITY_FLAGS = (
        "local_strength",
        "environment_friendly",
        "new_technology",
        "new_product",
        "local_materials",
        "labour_intensive",
    )

    class Meta:
        verbose_name = "đăng ký nhu cầu hỗ trợ"
        verbose_name_plural = "đăng ký nhu cầu hỗ trợ"
        ordering = ["-year", "facility__name"]
        constraints = [
            *non_negative("total_cost", "support_requested", "counterpart", prefix="request"),
            models.CheckConstraint(
                condition=Q(support_requested__lte=F("total_cost") - F("counterpart")),
                name="request_support_plus_counterpart_within_cost",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="request_year_plausible"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="request_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.facility} – {self.activity_type} ({self.year})"

    @property
    def priority_score(self):
        return sum(getattr(self, flag) for flag in self.PRIORITY_FLAGS)

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=_is_district,
        conditions=[_asks_for_money],
        custom={"label": "Gửi lên tỉnh"},
    )
    def submit(self, *, user):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.UNDER_REVIEW,
        permission=_is_provincial,
        custom={"label": "Nhận xem xét"},
    )
    def start_review(self, *, user):
        pass

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.UNDER_REVIEW],
        target=Status.INCLUDED,
        permission=_is_provincial,
        custom={"label": "Đưa vào kế hoạch"},
    )
    def include(self, *, user):
        pass

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.UNDER_REVIEW],
        target=Status.REJECTED,
        permission=_is_provincial,
        custom={"label": "Không chọn"},
    )
    def reject(self, *, user, reason):
        self.reject_reason = reason

    @transition(
        field=status,
        source=[Status.DRAFT, Status.SUBMITTED],
        target=Status.WITHDRAWN,
        permission=_is_district,
        custom={"label": "Rút đăng ký"},
    )
    def withdraw(self, *, user):
        pass
