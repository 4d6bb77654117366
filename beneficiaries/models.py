"""Facilities (cơ sở CNNT) and their support requests (đăng ký nhu cầu hỗ trợ)."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from khuyencong.dates import YEAR_OUT_OF_RANGE, is_plausible_year, plausible_year_q, today
from khuyencong.fields import LONG_TEXT, SHORT_TEXT, LimitedTextField, MoneyField, non_negative
from khuyencong.models import (
    ActivityType,
    AdministrativeUnit,
    ReferenceModel,
    SearchableModel,
    StoredFile,
    TimeStampedModel,
    keep_name,
)
from khuyencong.money import format_vnd
from khuyencong.roles import is_district, is_officer, permission
from khuyencong.scope import ScopedQuerySet, scope_unit_field
from khuyencong.stepinputs import reason_inputs
from khuyencong.text import search_key
from khuyencong.workflow import precondition

from .validation import TAX_CODE_PATTERN, clean_phones, clean_tax_code

NAME_KEY_LENGTH = 255


def facility_name_key(name):
    """A facility's name without case, accents or extra spaces: what two entries of the same
    facility share. Cut to its column: Korean, for one, grows when decomposed."""
    return search_key(name)[:NAME_KEY_LENGTH]


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
        db_index=False,  # facility_unit_name_key_idx, which starts with the unit, serves it
    )
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    owner_name = models.CharField("người đại diện", max_length=255)
    tax_code = models.CharField("mã số thuế", max_length=14, blank=True)
    phone = models.CharField("điện thoại", max_length=60, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    workers = models.PositiveIntegerField("số lao động", default=0)
    products = LimitedTextField("sản phẩm chính", max_length=SHORT_TEXT, blank=True)
    # The name without case, accents or extra spaces: finds a facility entered twice.
    name_key = models.CharField(max_length=NAME_KEY_LENGTH, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The token of the form that entered it: the same form sent twice enters one facility.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The history is read by facility and by user; indexes on the other keys would only slow
    # down the writing of every change (ten thousand rows at a time by an import).
    history = HistoricalRecords(
        excluded_fields=["search_text", "name_key", "form_token"],
        no_db_index=["unit", "sector", "created_by"],
    )

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
        indexes = [
            models.Index(fields=["unit", "name_key"], name="facility_unit_name_key_idx"),
            models.Index(fields=["tax_code"], name="facility_tax_code_idx"),
            # The list's order: its first page is read from the index, not sorted from all rows.
            models.Index(fields=["name_key", "id"], name="facility_name_key_idx"),
            # The request list orders a year's requests by facility name: found by id, read from
            # the index alone.
            models.Index(fields=["id"], include=["name_key"], name="facility_id_name_key_idx"),
        ]

    def __str__(self):
        return self.name

    def fill_derived(self):
        super().fill_derived()
        self.name_key = facility_name_key(self.name)

    # What people enter about a facility, on the form and in the spreadsheet alike.
    ENTRY_FIELDS = (
        "name",
        "kind",
        "sector",
        "unit",
        "address",
        "owner_name",
        "tax_code",
        "phone",
        "email",
        "workers",
        "products",
    )

    # Kinds that are registered businesses or cooperatives and so always have a tax code.
    KINDS_WITH_TAX_CODE = (Kind.COOPERATIVE, Kind.MICRO, Kind.SMALL, Kind.MEDIUM)

    def clean(self):
        errors = {}
        for name, cleaner in (("tax_code", clean_tax_code), ("phone", clean_phones)):
            try:
                setattr(self, name, cleaner(getattr(self, name)))
            except ValidationError as error:
                errors[name] = error.messages
        if self.kind in self.KINDS_WITH_TAX_CODE and not self.tax_code and "tax_code" not in errors:
            errors["tax_code"] = [
                f"{self.get_kind_display()} phải có mã số thuế (ghi trong giấy đăng ký)."
            ]
        if self.kind != self.Kind.HOUSEHOLD and not (self.address or "").strip():
            # Kind not chosen yet (or not a known one): the sentence still needs its noun.
            whose = self.get_kind_display().lower() if self.kind in self.Kind.values else "cơ sở"
            errors["address"] = [f"Cần ghi địa chỉ trụ sở của {whose}."]
        if errors:
            raise ValidationError(errors)

    def likely_duplicates(self):
        """Other facilities with the same tax code, or the same name (ignoring case, accents
        and spaces) in the same commune: what a second entry of the same facility looks like."""
        same = models.Q(unit_id=self.unit_id, name_key=facility_name_key(self.name))
        if self.tax_code:
            same |= models.Q(tax_code=self.tax_code)
        return Facility.objects.filter(same).exclude(pk=self.pk).select_related("unit")


class SupportRequestQuerySet(ScopedQuerySet):
    scope_lookup = "scope_unit"

    def awaiting_decision(self):
        return self.filter(status__in=SupportRequest.AWAITING_DECISION)

    def with_priority(self, weights=None):
        """Annotate `weighted_score`: the sum of the province's weight of each flag set."""
        weights = weights if weights is not None else PriorityWeight.current()
        score = sum(
            (
                Case(When(**{flag: True}, then=Value(weights.get(flag, 0))), default=Value(0))
                for flag in SupportRequest.PRIORITY_FLAGS
            ),
            Value(0),
        )
        return self.annotate(
            weighted_score=ExpressionWrapper(score, output_field=models.IntegerField())
        )


# Including a request links it to a scheme, and taking it out unlinks it: done by the plan
# builder's service (schemes.planning.build_schemes), which the request page's "Chọn vào kế
# hoạch", the review queue and the plan builder page all call, and by the scheme's page.
_PLAN_BUILDER = (
    "Bước này làm bằng “Chọn vào kế hoạch” trên trang đăng ký, từ hàng chờ xét duyệt hoặc "
    "trang lập kế hoạch (hoặc trang đề án khi đưa ra khỏi đề án)."
)


@precondition(
    "Yêu cầu hỗ trợ phải lớn hơn 0 đồng trước khi gửi.",
    fix=lambda request: reverse("beneficiaries:request_edit", args=[request.pk]),
)
def _asks_for_money(request):
    return request.support_requested > 0


@precondition(
    "Hồ sơ còn thiếu tài liệu bắt buộc: xem danh mục hồ sơ và tải lên trước khi gửi.",
    fix="#ho-so",
)
def _dossier_complete(request):
    return not request.missing_documents()


class SupportRequest(TimeStampedModel):
    """A facility's request for support in a year, entered by district staff."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Nháp"
        SUBMITTED = "submitted", "Đã gửi"
        UNDER_REVIEW = "under_review", "Đang xem xét"
        INCLUDED = "included", "Đã đưa vào kế hoạch"
        REJECTED = "rejected", "Không được chọn"
        WITHDRAWN = "withdrawn", "Đã rút"
        RETURNED = "returned", "Trả lại bổ sung"

    # Sent by the district, not yet included or rejected: what waits for the province's decision
    # (the review queue, the plan builder, the district's and the officer's tasks).
    AWAITING_DECISION = (Status.SUBMITTED, Status.UNDER_REVIEW)
    # The district's to change: its figures and its dossier (a draft, or one returned for
    # additions). Once sent, the dossier is closed until the province returns it.
    OPEN_TO_DISTRICT = (Status.DRAFT, Status.RETURNED)

    facility = models.ForeignKey(
        Facility, verbose_name="cơ sở", on_delete=models.PROTECT, related_name="requests"
    )
    year = models.PositiveSmallIntegerField("năm kế hoạch")
    activity_type = models.ForeignKey(
        ActivityType, verbose_name="nội dung hỗ trợ", on_delete=models.PROTECT, related_name="+"
    )
    content = LimitedTextField("nội dung đề nghị", max_length=LONG_TEXT)
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
    reject_reason = LimitedTextField("lý do không chọn", max_length=SHORT_TEXT, blank=True)
    # The last return's reason (each one is in the history).
    return_reason = LimitedTextField("lý do trả lại bổ sung", max_length=SHORT_TEXT, blank=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The token of the form that filed it: the same form sent twice files one request.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The facility's unit (triggers of migration 0011): a district's requests are counted
    # without joining 50,000 requests to their facilities. Show `facility.unit`.
    scope_unit = scope_unit_field()
    history = HistoricalRecords(excluded_fields=["form_token", "scope_unit"])

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
                condition=plausible_year_q(),
                name="request_year_plausible",
                violation_error_code="year",
                violation_error_message=YEAR_OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="request_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="request_return_has_reason",
            ),
        ]
        indexes = [
            # The list is ordered by year first: PostgreSQL reads the latest year from this
            # index and sorts only its rows by facility name (an incremental sort).
            # It holds what the list's scope and its join to the facilities need, so the ids of
            # a page are read from the index alone.
            models.Index(
                fields=["year"], include=["scope_unit", "facility"], name="request_year_idx"
            ),
            # What waits for review is a small part of all requests.
            models.Index(fields=["status"], name="request_status_idx"),
        ]

    def __str__(self):
        return f"{self.facility} – {self.activity_type} ({self.year})"

    @property
    def priority_score(self):
        """The weighted score, as annotated by with_priority(), else one point per flag."""
        annotated = getattr(self, "weighted_score", None)
        if annotated is not None:
            return annotated
        return sum(getattr(self, flag) for flag in self.PRIORITY_FLAGS)

    def clean(self):
        errors = {}
        total, support, counterpart = self.total_cost, self.support_requested, self.counterpart
        if None not in (total, support, counterpart) and support + counterpart > total:
            errors["support_requested"] = [
                "Kinh phí đề nghị hỗ trợ cộng đối ứng không được vượt tổng kinh phí "
                f"({format_vnd(support + counterpart)} > {format_vnd(total)})."
            ]
        if self.year is not None and not is_plausible_year(self.year):
            errors["year"] = [YEAR_OUT_OF_RANGE]
        if errors:
            raise ValidationError(errors)

    def priority_labels(self):
        return [
            self._meta.get_field(f).verbose_name for f in self.PRIORITY_FLAGS if getattr(self, f)
        ]

    @property
    def is_editable(self):
        """District staff change a request's figures and its dossier only while it is a draft
        or returned for additions."""
        return self.status in self.OPEN_TO_DISTRICT

    @property
    def days_waiting(self):
        """Whole days since it was sent (Vietnam's days), for a request awaiting decision."""
        if self.submitted_at is None or not self.awaits_decision:
            return None
        return (today() - timezone.localtime(self.submitted_at).date()).days

    @property
    def awaits_decision(self):
        return self.status in self.AWAITING_DECISION

    def dossier_checklist(self):
        """[(kind, [documents])] for every document kind required for this activity type."""
        documents = list(self.documents.all())
        return [
            (kind, [d for d in documents if d.kind_id == kind.pk])
            for kind in DocumentKind.objects.required_for(self.activity_type)
        ]

    def missing_documents(self):
        return [kind for kind, documents in self.dossier_checklist() if not documents]

    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.SUBMITTED,
        permission=permission(is_district),
        conditions=[_asks_for_money, _dossier_complete],
        custom={"label": "Gửi lên tỉnh", "next": True},
    )
    def submit(self, *, user):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.UNDER_REVIEW,
        permission=permission(is_officer),
        custom={"label": "Nhận xem xét"},
    )
    def start_review(self, *, user):
        pass

    @transition(
        field=status,
        source=AWAITING_DECISION,
        target=Status.INCLUDED,
        permission=permission(is_officer),
        custom={"label": "Chọn vào kế hoạch", "only_from": _PLAN_BUILDER, "next": True},
    )
    def include(self, *, user):
        pass

    @transition(
        field=status,
        source=Status.INCLUDED,
        target=Status.UNDER_REVIEW,
        permission=permission(is_officer),
        custom={"label": "Trả về chờ xét", "only_from": _PLAN_BUILDER},
    )
    def return_to_review(self, *, user):
        """Its facility was taken out of the scheme before any contract."""

    @transition(
        field=status,
        source=AWAITING_DECISION,
        target=Status.REJECTED,
        permission=permission(is_officer),
        custom={
            "label": "Không chọn",
            "confirm": "Ghi “Không chọn” cho đăng ký «{obj}»? Huyện sẽ thấy lý do.",
            "inputs": reason_inputs(
                "Lý do không chọn",
                missing="Cần nêu lý do không chọn để cơ sở và huyện được biết.",
                help_text="huyện sẽ thấy",
                widget=forms.Textarea(attrs={"rows": 2}),
            ),
        },
    )
    def reject(self, *, user, reason):
        self.reject_reason = reason

    @transition(
        field=status,
        source=AWAITING_DECISION,
        target=Status.RETURNED,
        permission=permission(is_officer),
        custom={
            "label": "Trả lại bổ sung",
            "confirm": "Trả lại đăng ký «{obj}» cho huyện bổ sung? Hồ sơ sẽ mở lại cho huyện.",
            "inputs": reason_inputs(
                "Lý do trả lại bổ sung",
                missing="Cần nêu lý do trả lại để huyện biết phải bổ sung gì.",
                help_text="huyện sẽ thấy; hồ sơ mở lại cho huyện bổ sung rồi gửi lại",
                widget=forms.Textarea(attrs={"rows": 2}),
            ),
        },
    )
    def return_for_additions(self, *, user, reason):
        """The dossier reopens for the district, which then sends it again."""
        self.return_reason = reason

    @transition(
        field=status,
        source=[Status.DRAFT, Status.SUBMITTED, Status.RETURNED],
        target=Status.WITHDRAWN,
        permission=permission(is_district),
        custom={"label": "Rút đăng ký"},
    )
    def withdraw(self, *, user):
        pass


class DocumentKindQuerySet(models.QuerySet):
    def required_for(self, activity_type, applies_to="request"):
        """Kinds of a dossier (a request's by default) required for every such dossier, or for
        this activity type or its group."""
        types = [activity_type.pk]
        if activity_type.parent_id:
            types.append(activity_type.parent_id)
        return (
            self.filter(is_active=True, applies_to=applies_to)
            .filter(Q(for_every_request=True) | Q(activity_types__in=types))
            .distinct()
            .order_by("order", "code")
        )


class DocumentKind(ReferenceModel):
    """A document of a dossier (hồ sơ) — a request's, a scheme's, or a scheme beneficiary's —
    and which activity types require it."""

    class AppliesTo(models.TextChoices):
        REQUEST = "request", "Hồ sơ đăng ký nhu cầu"
        SCHEME = "scheme", "Hồ sơ đề án"
        BENEFICIARY = "beneficiary", "Hồ sơ cơ sở thụ hưởng trong đề án"

    applies_to = models.CharField(
        "thuộc hồ sơ", max_length=20, choices=AppliesTo.choices, default=AppliesTo.REQUEST
    )
    for_every_request = models.BooleanField("bắt buộc với mọi hồ sơ cùng loại", default=False)
    activity_types = models.ManyToManyField(
        ActivityType,
        verbose_name="bắt buộc với nội dung (hoặc nhóm nội dung)",
        blank=True,
        related_name="+",
    )
    hint = models.CharField("hướng dẫn", max_length=255, blank=True)
    history = HistoricalRecords(m2m_fields=[activity_types])

    objects = DocumentKindQuerySet.as_manager()

    class Meta(ReferenceModel.Meta):
        verbose_name = "loại tài liệu hồ sơ"
        verbose_name_plural = "loại tài liệu hồ sơ"


_document_path = keep_name  # named by migration 0004


class DocumentQuerySet(ScopedQuerySet):
    scope_lookup = "facility__unit"


class Document(StoredFile):
    """A file of a facility (registration, photos …) or of one of its requests' dossiers.
    Served only through a view that checks the user's scope."""

    facility = models.ForeignKey(
        Facility, verbose_name="cơ sở", on_delete=models.CASCADE, related_name="documents"
    )
    request = models.ForeignKey(
        SupportRequest,
        verbose_name="đăng ký",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.ForeignKey(
        DocumentKind, verbose_name="loại tài liệu", null=True, blank=True, on_delete=models.PROTECT
    )
    # The token of the upload form that stored it (the first file of a batch keeps it): the
    # same form sent twice stores its files once.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["form_token"])

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "tài liệu"
        verbose_name_plural = "tài liệu"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class ImportBatch(models.Model):
    """An uploaded spreadsheet, checked and then applied by the worker (never in a web
    request: a heavy sheet would hold a web worker for as long as it reads). Its status says
    where it is; a user has at most one batch waiting or running at a time, and confirming
    twice (a double click) finds it already applying or applied and writes nothing more."""

    class Kind(models.TextChoices):
        FACILITIES = "facilities", "Cơ sở CNNT"
        REQUESTS = "requests", "Đăng ký nhu cầu"

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang kiểm tra"
        CHECKED = "checked", "Đã kiểm tra"
        REFUSED = "refused", "Không nhập được"
        APPLYING = "applying", "Đang nhập"
        APPLIED = "applied", "Đã nhập"

    IN_FLIGHT = (Status.QUEUED, Status.APPLYING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("loại dữ liệu", max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhập", on_delete=models.CASCADE
    )
    file = models.FileField("tệp", max_length=255)
    original_name = models.CharField("tên tệp", max_length=255)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    # What the check (or the apply) found, for the preview page: counts, the first rows, the
    # first errors, or the message that refused the whole file (services.outcome_summary).
    result = models.JSONField("kết quả kiểm tra", default=dict, blank=True)
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    dispatched_at = models.DateTimeField("gửi cho máy xử lý lúc", null=True, blank=True)
    applied_at = models.DateTimeField("đã nhập lúc", null=True, blank=True)
    created = models.PositiveIntegerField("số dòng thêm", default=0)
    updated = models.PositiveIntegerField("số dòng sửa", default=0)

    class Meta:
        verbose_name = "lần nhập tệp"
        verbose_name_plural = "lần nhập tệp"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "applying"]),
                name="import_one_in_flight_per_user",
                violation_error_message=(
                    "Bạn đang có một tệp chờ kiểm tra hoặc đang nhập; xin chờ tệp đó xong."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.get_kind_display()})"

    @property
    def in_flight(self):
        return self.status in self.IN_FLIGHT


class PriorityWeight(TimeStampedModel):
    """The province's weight of one priority criterion in the plan builder's ranking."""

    flag = models.CharField(
        "tiêu chí",
        max_length=40,
        unique=True,
        choices=[
            (f, SupportRequest._meta.get_field(f).verbose_name)
            for f in SupportRequest.PRIORITY_FLAGS
        ],
    )
    weight = models.PositiveSmallIntegerField(
        "trọng số", default=1, help_text="Điểm cộng cho đăng ký đáp ứng tiêu chí này (0–10)."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "trọng số tiêu chí ưu tiên"
        verbose_name_plural = "trọng số tiêu chí ưu tiên"
        ordering = ["flag"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__lte=10), name="priority_weight_0_10")
        ]

    def __str__(self):
        return f"{self.get_flag_display()}: {self.weight}"

    @classmethod
    def current(cls):
        """{flag: weight} for every criterion; one point where the province set nothing."""
        weights = dict.fromkeys(SupportRequest.PRIORITY_FLAGS, 1)
        weights.update(cls.objects.values_list("flag", "weight"))
        return weights
