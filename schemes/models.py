"""Plans (kế hoạch), schemes (đề án / nhiệm vụ) and their contracts, payments, inspections and
acceptance. The scheme life cycle is declared here, each step with its role and preconditions."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Sum, TextField, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from beneficiaries.models import DocumentKind, Facility, SupportRequest
from khuyencong.dates import YEAR_OUT_OF_RANGE, plausible_year_q
from khuyencong.fields import LONG_TEXT, SHORT_TEXT, LimitedTextField, MoneyField, non_negative
from khuyencong.models import (
    ActivityType,
    AdministrativeUnit,
    FundingSource,
    SearchableModel,
    StoredFile,
    TimeStampedModel,
)
from khuyencong.money import format_vnd
from khuyencong.roles import is_manager, is_officer, permission
from khuyencong.scope import ScopedQuerySet, VisibleToMixin, in_unit_q, scope_unit_field
from khuyencong.stepinputs import SettlementInputs, StoredTextField, decision_inputs, reason_inputs
from khuyencong.workflow import Unmet, precondition


class PlanQuerySet(ScopedQuerySet):
    def in_unit(self, unit):
        """Plans of the unit and below it, and the plans above it, or above a unit that passed
        into it, that fund its schemes."""
        return self.filter(in_unit_q(unit, "unit") | Q(unit_id__in=unit.reach_ids()))

    def with_rollup(self):
        """Annotate allocated (schemes' budgets, cancelled ones left out), contracted,
        disbursed and accepted amounts: one subquery each, no N+1."""
        return self.annotate(
            allocated=_sum_per(Scheme.objects.exclude(status="cancelled"), "plan", "budget"),
            contracted=_sum_per(
                Contract.objects.exclude(scheme__status="cancelled"), "scheme__plan", "value"
            ),
            disbursed=_sum_per(Disbursement.objects.all(), "contract__scheme__plan", "amount"),
            accepted_amount=_sum_per(
                Acceptance.objects.filter(result="passed"), "scheme__plan", "accepted_amount"
            ),
        )


@precondition("Kế hoạch chưa có đề án nào.", fix="#de-an")
def _plan_has_schemes(plan):
    return plan.schemes.exclude(status="cancelled").exists()


@precondition("Tổng kinh phí các đề án vượt kinh phí được giao của kế hoạch.", fix="#de-an")
def _plan_within_budget(plan):
    return plan.allocated_total() <= plan.budget


# A record sent back by the manager (Plan.send_back, Scheme.send_back) keeps the reason: the
# officer reads it on the page, the history keeps each one.
SEND_BACK_LABEL = "Trả lại để hoàn thiện"


def _send_back_inputs(what):
    return reason_inputs(
        "Nội dung cần hoàn thiện",
        missing=f"Cần nêu nội dung {what} cần hoàn thiện trước khi trình lại.",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )


class Plan(TimeStampedModel):
    """The year's plan for one funding source: drafted by the Centre's officer, submitted to the
    Department's leadership by a "tờ trình" (submit), approved by decision (approve) or sent
    back to be completed (send_back). While submitted it waits for the manager and the officer
    no longer edits it: the manager approves what he was shown."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        SUBMITTED = "submitted", "Chờ phê duyệt"
        APPROVED = "approved", "Đã phê duyệt"

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name="tỉnh", on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField("năm")
    funding_source = models.ForeignKey(
        FundingSource, verbose_name="nguồn kinh phí", on_delete=models.PROTECT
    )
    title = models.CharField("tên kế hoạch", max_length=255)
    approving_body = models.CharField("cơ quan phê duyệt", max_length=255, blank=True)
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    budget = MoneyField("kinh phí được giao")
    status = FSMField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT)
    sent_back_reason = LimitedTextField("lý do trả lại", max_length=SHORT_TEXT, blank=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()
    # The plan may be for next year; its decision is not dated in the future.
    fact_dates = ("decision_date",)

    class Meta:
        verbose_name = "kế hoạch khuyến công"
        verbose_name_plural = "kế hoạch khuyến công"
        ordering = ["-year", "funding_source__order"]
        constraints = [
            *non_negative("budget", prefix="plan"),
            models.CheckConstraint(
                condition=plausible_year_q(),
                name="plan_year_plausible",
                violation_error_code="year",
                violation_error_message=YEAR_OUT_OF_RANGE,
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "funding_source"],
                name="plan_one_per_year_and_source",
                violation_error_message="Đã có kế hoạch của nguồn kinh phí này cho năm này.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"])
                | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="plan_approved_has_decision",
            ),
        ]

    def __str__(self):
        return self.title

    def allocated_total(self):
        """What the plan's schemes (cancelled ones left out) take from its budget."""
        live = self.schemes.exclude(status=Scheme.Status.CANCELLED)
        return live.aggregate(s=Sum("budget"))["s"] or 0

    @property
    def over_budget(self):
        allocated = getattr(self, "allocated", None)
        return (self.allocated_total() if allocated is None else allocated) > self.budget

    @property
    def is_editable(self):
        """The officer edits a draft, not one submitted to or approved by the manager."""
        return self.status == self.Status.DRAFT

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=permission(is_officer),
        # What the manager's approval asks, asked before: he is not sent what he cannot approve.
        conditions=[_plan_has_schemes, _plan_within_budget],
        custom={
            "label": "Trình phê duyệt",
            "next": True,
            "confirm": "Trình lãnh đạo phê duyệt kế hoạch «{obj}»? Sau khi trình, kế hoạch không "
            "sửa được cho đến khi được trả lại.",
        },
    )
    def submit(self, *, user):
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.DRAFT,
        permission=permission(is_manager),
        custom={
            "label": SEND_BACK_LABEL,
            "inputs": _send_back_inputs("kế hoạch"),
            "confirm": "Trả lại kế hoạch «{obj}» cho cán bộ để hoàn thiện?",
        },
    )
    def send_back(self, *, user, reason):
        self.sent_back_reason = reason

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.APPROVED,
        permission=permission(is_manager),
        conditions=[_plan_has_schemes, _plan_within_budget],
        custom={
            "label": "Phê duyệt kế hoạch",
            "next": True,
            "inputs": decision_inputs(
                missing="Cần nhập số và ngày của quyết định phê duyệt kế hoạch.",
                approving_body=StoredTextField(
                    label="Cơ quan phê duyệt", max_length=255, required=False
                ),
            ),
        },
    )
    def approve(self, *, user, decision_number, decision_date, approving_body):
        self.decision_number = decision_number
        self.decision_date = decision_date
        if approving_body:
            self.approving_body = approving_body


class SchemeQuerySet(VisibleToMixin, models.QuerySet):
    def in_unit(self, unit):
        """Schemes placed in the unit, and schemes with a beneficiary there: a provincial group
        scheme is followed by each district whose facilities take part."""
        in_area = SchemeBeneficiary.objects.filter(
            in_unit_q(unit, "scope_unit"), scheme=OuterRef("pk")
        )
        return self.filter(in_unit_q(unit, "unit") | Q(Exists(in_area)))

    def placed_in(self, unit):
        """Schemes placed in the unit, not only followed through a beneficiary there."""
        return self.filter(in_unit_q(unit, "unit"))

    def with_placement(self, user):
        """Annotate `placed`: whether the scheme lies in the user's own scope. If not, he is a
        partner, who sees only his unit's beneficiaries in it (SchemeChildQuerySet)."""
        placed = self.model.objects.scoped_to(user, self.model.objects.placed_in)
        return self.annotate(placed=Exists(placed.filter(pk=OuterRef("pk"))))

    def with_amounts(self):
        """Annotate contracted, disbursed and accepted amounts, no N+1: the last two as the
        database keeps them (SchemeTotals), so that a risk on them costs no sum per scheme."""
        return self.annotate(
            contracted=_sum_per(Contract.objects, "scheme", "value"),
            disbursed=Coalesce(F("totals__disbursed"), 0),
            accepted_amount=Coalesce(F("totals__accepted"), 0),
        )

    def with_risks(self, today=None):
        """Annotate the amounts, the last inspection, and one boolean `risk_<key>` per risk of
        RISKS; all in the one SQL query of the list, whatever its length."""
        today = today or timezone.localdate()
        quiet_since = today - datetime.timedelta(days=INSPECTION_GAP_DAYS)
        acceptance_near = today + datetime.timedelta(days=DOSSIER_WARNING_DAYS)
        return (
            self.with_amounts()
            .annotate(
                last_inspected_on=F("totals__last_inspected_on"),
                last_problem=Coalesce(
                    F("totals__last_problem"), Value(""), output_field=TextField()
                ),
                has_passed_acceptance=Coalesce(F("totals__has_passed_acceptance"), False),
                dossier_incomplete=_missing_scheme_document() | _missing_beneficiary_document(),
            )
            .annotate(
                risk_overdue=_flag(Q(end_date__lt=today, status__in=Scheme.BEFORE_ACCEPTANCE)),
                risk_no_inspection=_flag(
                    Q(status=Scheme.Status.IN_PROGRESS)
                    & (
                        Q(last_inspected_on__lt=quiet_since)
                        | Q(last_inspected_on__isnull=True, start_date__lt=quiet_since)
                    )
                ),
                risk_problem=_flag(
                    Q(status__in=Scheme.BEFORE_ACCEPTANCE)
                    & ~Q(status__in=Scheme.BEFORE_APPROVAL)
                    & Q(last_problem__gt="")
                ),
                # The cheap test before the subqueries: PostgreSQL evaluates a condition left
                # to right and stops at the first false, so filtering on a risk (?risk=, the
                # dashboard) does not run the sums or the dossier check on every scheme.
                risk_over_disbursed=_flag(
                    Q(has_passed_acceptance=True) & Q(disbursed__gt=F("accepted_amount"))
                ),
                risk_documents=_flag(
                    (
                        Q(status=Scheme.Status.AWAITING_ACCEPTANCE)
                        | Q(status=Scheme.Status.IN_PROGRESS, end_date__lte=acceptance_near)
                    )
                    & Q(dossier_incomplete=True)
                ),
            )
        )

    def at_risk(self, key=None):
        """Schemes with the risk `key`, or with any risk; on a with_risks() queryset."""
        keys = [key] if key else list(RISKS)
        condition = Q()
        for k in keys:
            condition |= Q(**{f"risk_{k}": True})
        return self.filter(condition)


def _sum_per(queryset, owner_field, amount_field):
    """The sum of amount_field over the rows of queryset that belong to the outer row."""
    rows = (
        queryset.filter(**{owner_field: OuterRef("pk")})
        .order_by()
        .values(owner_field)
        .annotate(total=Sum(amount_field))
        .values("total")
    )
    return Coalesce(Subquery(rows), 0, output_field=models.BigIntegerField())


# A scheme in progress should be visited at least this often.
INSPECTION_GAP_DAYS = 90
# How long before the end date a missing document of the dossier starts to count as a risk.
DOSSIER_WARNING_DAYS = 30

# key: (label on lists and filters, what the scheme page says)
RISKS = {
    "overdue": ("Quá hạn", "Đã quá ngày kết thúc mà chưa nghiệm thu."),
    "no_inspection": (
        "Lâu chưa kiểm tra",
        f"Đang triển khai mà đã hơn {INSPECTION_GAP_DAYS} ngày kể từ lần kiểm tra gần nhất "
        "(hoặc từ ngày bắt đầu) chưa kiểm tra lại.",
    ),
    "problem": ("Có vướng mắc", "Lần kiểm tra gần nhất ghi nhận khó khăn, vướng mắc."),
    "over_disbursed": ("Chi vượt nghiệm thu", "Số tiền đã chi lớn hơn kinh phí nghiệm thu."),
    "documents": (
        "Thiếu hồ sơ",
        "Sắp hoặc đang chờ nghiệm thu mà hồ sơ đề án còn thiếu tài liệu bắt buộc.",
    ),
}


def _flag(condition):
    return Case(When(condition, then=Value(True)), default=Value(False))


def _outer(name, depth):
    for _ in range(depth):
        name = OuterRef(name)
    return name


def _required_kinds(applies_to, depth):
    """Active kinds of this dossier required for every scheme or for the scheme's activity
    (or its group); the scheme is `depth` queries out."""
    return DocumentKind.objects.filter(is_active=True, applies_to=applies_to).filter(
        Q(for_every_request=True)
        | Q(activity_types=_outer("activity_type", depth))
        | Q(activity_types=_outer("activity_type__parent", depth))
    )


def _missing_scheme_document():
    kinds = _required_kinds("scheme", 1).exclude(
        Exists(
            SchemeDocument.objects.filter(
                scheme=OuterRef(OuterRef("pk")), beneficiary=None, kind=OuterRef("pk")
            )
        )
    )
    return Exists(kinds)


def _missing_beneficiary_document():
    kinds = _required_kinds("beneficiary", 2).exclude(
        Exists(
            SchemeDocument.objects.filter(beneficiary=OuterRef(OuterRef("pk")), kind=OuterRef("pk"))
        )
    )
    return Exists(SchemeBeneficiary.objects.filter(scheme=OuterRef("pk")).filter(Exists(kinds)))


@precondition("Đề án chưa có kinh phí hỗ trợ.", fix="#hang-muc")
def _has_budget(scheme):
    return scheme.budget > 0


@precondition(
    "Kế hoạch của đề án chưa được phê duyệt.",
    fix=lambda scheme: reverse("plans:plan_detail", args=[scheme.plan_id]),
)
def _plan_approved(scheme):
    return scheme.plan.status == Plan.Status.APPROVED


@precondition("Tổng kinh phí hỗ trợ các cơ sở thụ hưởng vượt kinh phí của đề án.", fix="#co-so")
def _beneficiaries_within_budget(scheme):
    return scheme.beneficiaries_support_total() <= scheme.budget


ITEMS_ABOVE_CAPS = (
    "Có hạng mục vượt định mức hỗ trợ mà chưa được ghi nhận ngoại lệ (xem mục Hạng mục hỗ trợ)."
)


@precondition(ITEMS_ABOVE_CAPS, fix="#hang-muc")
def _items_within_todays_caps(scheme):
    from .caps import uncovered_breaches  # caps reads the rules declared below

    return not uncovered_breaches(scheme, day=timezone.localdate())


@precondition(
    "Kế hoạch của đề án chưa được trình phê duyệt.",
    fix=lambda scheme: reverse("plans:plan_detail", args=[scheme.plan_id]),
)
def _plan_submitted(scheme):
    """A scheme goes to the manager with its plan's "tờ trình" or after it: it is approved once
    the plan is (_plan_approved)."""
    return scheme.plan.status in (Plan.Status.SUBMITTED, Plan.Status.APPROVED)


def _item_sums(scheme):
    return scheme.items.aggregate(
        support=Coalesce(Sum("support_amount"), 0),
        counterpart=Coalesce(Sum("counterpart_amount"), 0),
    )


@precondition("Kinh phí khuyến công của đề án khác tổng các hạng mục.", fix="#hang-muc")
def _budget_matches_items(scheme):
    """The scheme's programme money is that of its items: the decision approves both at once."""
    items = _item_sums(scheme)["support"]
    if scheme.budget == items:
        return True
    return Unmet(
        f"Kinh phí khuyến công của đề án ({format_vnd(scheme.budget)}) khác tổng các hạng mục "
        f"({format_vnd(items)})."
    )


@precondition("Kinh phí đối ứng của đề án khác tổng đối ứng các hạng mục.", fix="#hang-muc")
def _counterpart_matches_items(scheme):
    items = _item_sums(scheme)["counterpart"]
    if scheme.counterpart_budget == items:
        return True
    return Unmet(
        f"Kinh phí đối ứng của đề án ({format_vnd(scheme.counterpart_budget)}) khác tổng đối "
        f"ứng các hạng mục ({format_vnd(items)})."
    )


def _latest_inspection(scheme):
    """The latest inspection, by its date and then the later entry (as SchemeTotals keeps)."""
    return scheme.inspections.order_by("-inspected_on", "-pk").first()


def _waived(scheme, gate):
    return scheme.acceptance_waivers.filter(gates__contains=[gate]).exists()


# The gates of a request for acceptance (request_acceptance), each lifted by an officer's
# recorded exception (AcceptanceWaiver) naming it.
#
# - progress: the latest inspection records 100 %.
# - problem: the latest inspection records no problem. A problem is resolved when a later
#   inspection records none: the officer who has seen it put right says so by the visit that
#   found the work going again, with its date and its inspectors, rather than by ticking a box.
# - dossier: every required document of the scheme's and its beneficiaries' dossiers is there.
@precondition("Chưa có lần kiểm tra nào ghi nhận tiến độ 100 %.", fix="#kiem-tra")
def _progress_complete(scheme):
    latest = _latest_inspection(scheme)
    if (latest is not None and latest.progress_percent >= 100) or _waived(scheme, "progress"):
        return True
    if latest is None:
        return Unmet("Chưa có lần kiểm tra nào ghi nhận tiến độ 100 %.")
    return Unmet(
        f"Lần kiểm tra gần nhất ({latest.inspected_on:%d/%m/%Y}) ghi tiến độ "
        f"{latest.progress_percent} %, chưa đạt 100 %."
    )


@precondition("Lần kiểm tra gần nhất còn ghi vướng mắc chưa được giải quyết.", fix="#kiem-tra")
def _no_unresolved_problem(scheme):
    latest = _latest_inspection(scheme)
    if latest is None or not latest.problems or _waived(scheme, "problem"):
        return True
    return Unmet(
        f"Lần kiểm tra gần nhất ({latest.inspected_on:%d/%m/%Y}) còn ghi vướng mắc: "
        f"“{latest.problems}”. Vướng mắc được coi là đã giải quyết khi một lần kiểm tra sau "
        "không còn ghi vướng mắc."
    )


@precondition(
    "Hồ sơ đề án hoặc hồ sơ của cơ sở thụ hưởng còn thiếu tài liệu bắt buộc (xem mục Hồ sơ).",
    fix="#ho-so",
)
def _dossier_ready(scheme):
    missing = scheme.missing_documents()
    if not missing or _waived(scheme, "dossier"):
        return True
    return Unmet(
        f"Hồ sơ còn thiếu {len(missing)} tài liệu bắt buộc: "
        + "; ".join(
            f"{kind.name} ({link.facility.name})" if link else kind.name for link, kind in missing
        )
        + "."
    )


ACCEPTANCE_GATES = {
    "progress": _progress_complete,
    "problem": _no_unresolved_problem,
    "dossier": _dossier_ready,
}


@precondition("Chưa có hợp đồng nào được ký cho đề án.", fix="#hop-dong")
def _has_contract(scheme):
    return scheme.contracts.exists()


@precondition("Chưa có biên bản nghiệm thu đạt yêu cầu.", fix="#nghiem-thu")
def _has_passed_acceptance(scheme):
    return scheme.acceptances.filter(result=Acceptance.Result.PASSED).exists()


@precondition(
    "Hồ sơ đề án hoặc hồ sơ của cơ sở thụ hưởng còn thiếu tài liệu bắt buộc (xem mục Hồ sơ).",
    fix="#ho-so",
)
def _dossier_complete(scheme):
    return not scheme.missing_documents()


@precondition("Kinh phí nghiệm thu vượt kinh phí đã phê duyệt.", fix="#nghiem-thu")
def _accepted_within_budget(scheme):
    return scheme.accepted_total() <= scheme.budget


@precondition(
    "Số tiền đã chi vượt kinh phí nghiệm thu; cần điều chỉnh trước khi quyết toán.",
    fix="#hop-dong",
)
def _disbursed_within_accepted(scheme):
    return scheme.disbursed_total() <= scheme.accepted_total()


# What a scheme's approval (and its submission) asks of its money.
MONEY_GATES = [
    _has_budget,
    _beneficiaries_within_budget,
    _budget_matches_items,
    _counterpart_matches_items,
]


class Scheme(SearchableModel):
    """A funded unit of work: single, pilot, group scheme, or task. The officer proposes it and
    submits it (submit, "Trình phê duyệt"); the manager approves it by decision or sends it back
    (send_back); while submitted the officer does not change it."""

    class Kind(models.TextChoices):
        SINGLE = "single", "Đề án đơn lẻ"
        PILOT = "pilot", "Đề án điểm"
        GROUP = "group", "Đề án nhóm"
        TASK = "task", "Nhiệm vụ"

    class Selection(models.TextChoices):
        REVIEW = "review", "Xét chọn"
        TENDER = "tender", "Đấu thầu"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Đề xuất"
        SUBMITTED = "submitted", "Chờ phê duyệt"
        APPROVED = "approved", "Đã phê duyệt"
        CONTRACTED = "contracted", "Đã ký hợp đồng"
        IN_PROGRESS = "in_progress", "Đang triển khai"
        AWAITING_ACCEPTANCE = "awaiting_acceptance", "Chờ nghiệm thu"
        ACCEPTED = "accepted", "Đã nghiệm thu"
        SETTLED = "settled", "Đã quyết toán"
        CANCELLED = "cancelled", "Đã hủy"

    BEFORE_ACCEPTANCE = [
        Status.PROPOSED,
        Status.SUBMITTED,
        Status.APPROVED,
        Status.CONTRACTED,
        Status.IN_PROGRESS,
        Status.AWAITING_ACCEPTANCE,
    ]
    # Still the officer's proposal: drafted, or submitted and waiting for the manager.
    BEFORE_APPROVAL = [Status.PROPOSED, Status.SUBMITTED]

    plan = models.ForeignKey(
        Plan, verbose_name="kế hoạch", on_delete=models.PROTECT, related_name="schemes"
    )
    code = models.CharField("mã đề án", max_length=30)
    title = models.CharField("tên đề án", max_length=500)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    selection = models.CharField(
        "hình thức lựa chọn", max_length=20, choices=Selection.choices, default=Selection.REVIEW
    )
    activity_type = models.ForeignKey(
        ActivityType, verbose_name="nội dung chính", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name="địa bàn",
        on_delete=models.PROTECT,
        related_name="schemes",
    )
    implementing_body = models.CharField("đơn vị thực hiện", max_length=255)
    start_date = models.DateField("ngày bắt đầu")
    end_date = models.DateField("ngày kết thúc")
    budget = MoneyField("kinh phí khuyến công")
    counterpart_budget = MoneyField("kinh phí đối ứng", default=0)
    description = LimitedTextField("mục tiêu, nội dung", max_length=LONG_TEXT, blank=True)
    status = FSMField("trạng thái", max_length=30, choices=Status.choices, default=Status.PROPOSED)
    approval_number = models.CharField("số quyết định phê duyệt", max_length=50, blank=True)
    approval_date = models.DateField("ngày phê duyệt", null=True, blank=True)
    cancel_reason = LimitedTextField("lý do hủy", max_length=SHORT_TEXT, blank=True)
    sent_back_reason = LimitedTextField("lý do trả lại", max_length=SHORT_TEXT, blank=True)
    settled_on = models.DateField("ngày quyết toán", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = SchemeQuerySet.as_manager()
    search_fields = ("code", "title", "implementing_body")
    # Its start and end are planned; its approval and settlement have happened.
    fact_dates = ("approval_date", "settled_on")

    class Meta:
        verbose_name = "đề án"
        verbose_name_plural = "đề án"
        ordering = ["plan__year", "code"]
        constraints = [
            *non_negative("budget", "counterpart_budget", prefix="scheme"),
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="scheme_code_unique_in_plan",
                violation_error_code="code",
                violation_error_message="Kế hoạch này đã có đề án mang mã này.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="scheme_ends_after_start",
                violation_error_code="end_date",
                violation_error_message="Ngày kết thúc phải sau ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="scheme_cancel_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "submitted", "cancelled"])
                | (~Q(approval_number="") & Q(approval_date__isnull=False)),
                name="scheme_approved_has_decision",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    @property
    def is_closed(self):
        """Accepted, settled or cancelled: its figures are final."""
        return self.status not in self.BEFORE_ACCEPTANCE

    def risks(self):
        """[(key, label, explanation)] of the risks annotated by with_risks()."""
        return [
            (key, label, text)
            for key, (label, text) in RISKS.items()
            if getattr(self, f"risk_{key}", False)
        ]

    def dossier_checklist(self):
        """[(kind, [documents])] of the scheme's own dossier."""
        documents = [d for d in self.documents.all() if d.beneficiary_id is None]
        return [
            (kind, [d for d in documents if d.kind_id == kind.pk])
            for kind in DocumentKind.objects.required_for(self.activity_type, "scheme")
        ]

    def beneficiary_checklists(self, beneficiaries):
        """[(beneficiary, [(kind, [documents])])] of each beneficiary's dossier."""
        kinds = list(DocumentKind.objects.required_for(self.activity_type, "beneficiary"))
        documents = [d for d in self.documents.all() if d.beneficiary_id is not None]
        return [
            (
                b,
                [
                    (k, [d for d in documents if d.beneficiary_id == b.pk and d.kind_id == k.pk])
                    for k in kinds
                ],
            )
            for b in beneficiaries
        ]

    def missing_documents(self):
        """[(beneficiary or None, kind)] of every required document not uploaded yet."""
        missing = [(None, kind) for kind, documents in self.dossier_checklist() if not documents]
        for link, checklist in self.beneficiary_checklists(self.beneficiaries.all()):
            missing += [(link, kind) for kind, documents in checklist if not documents]
        return missing

    def beneficiaries_support_total(self):
        return self.beneficiaries.aggregate(s=Sum("support_amount"))["s"] or 0

    def contracted_total(self):
        return self.contracts.aggregate(s=Sum("value"))["s"] or 0

    def disbursed_total(self):
        return (
            Disbursement.objects.filter(contract__scheme=self).aggregate(s=Sum("amount"))["s"] or 0
        )

    def accepted_total(self):
        passed = self.acceptances.filter(result=Acceptance.Result.PASSED)
        return passed.aggregate(s=Sum("accepted_amount"))["s"] or 0

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.SUBMITTED,
        permission=permission(is_officer),
        # What the manager's approval asks, asked before (the caps of today), so that he is not
        # sent what he cannot approve; its plan goes with it or before it.
        conditions=[_plan_submitted, *MONEY_GATES, _items_within_todays_caps],
        custom={
            "label": "Trình phê duyệt",
            "next": True,
            "confirm": "Trình lãnh đạo phê duyệt đề án «{obj}»? Sau khi trình, đề án không sửa "
            "được cho đến khi được trả lại.",
        },
    )
    def submit(self, *, user):
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.PROPOSED,
        permission=permission(is_manager),
        custom={
            "label": SEND_BACK_LABEL,
            "inputs": _send_back_inputs("đề án"),
            "confirm": "Trả lại đề án «{obj}» cho cán bộ để hoàn thiện?",
        },
    )
    def send_back(self, *, user, reason):
        self.sent_back_reason = reason

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.APPROVED,
        permission=permission(is_manager),
        conditions=[_plan_approved, *MONEY_GATES],
        # schemes.services checks the caps of the decision's date; the page, today's.
        custom={
            "label": "Phê duyệt",
            "next": True,
            "inputs": decision_inputs(missing="Cần nhập số và ngày của quyết định phê duyệt."),
            "page_conditions": [_items_within_todays_caps],
        },
    )
    def approve(self, *, user, decision_number, decision_date):
        self.approval_number = decision_number
        self.approval_date = decision_date

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.CONTRACTED,
        permission=permission(is_officer),
        conditions=[_has_contract],
        custom={"label": "Xác nhận đã ký hợp đồng", "next": True},
    )
    def mark_contracted(self, *, user):
        pass

    @transition(
        field=status,
        source=Status.CONTRACTED,
        target=Status.IN_PROGRESS,
        permission=permission(is_officer),
        custom={"label": "Bắt đầu triển khai", "next": True},
    )
    def start(self, *, user):
        pass

    @transition(
        field=status,
        source=Status.IN_PROGRESS,
        target=Status.AWAITING_ACCEPTANCE,
        permission=permission(is_officer),
        conditions=list(ACCEPTANCE_GATES.values()),
        custom={"label": "Đề nghị nghiệm thu", "next": True},
    )
    def request_acceptance(self, *, user):
        pass

    @transition(
        field=status,
        source=Status.AWAITING_ACCEPTANCE,
        target=Status.ACCEPTED,
        permission=permission(is_manager),
        conditions=[_has_passed_acceptance, _accepted_within_budget, _dossier_complete],
        custom={"label": "Phê duyệt nghiệm thu", "next": True},
    )
    def accept(self, *, user):
        pass

    @transition(
        field=status,
        source=Status.ACCEPTED,
        target=Status.SETTLED,
        permission=permission(is_officer),
        conditions=[_disbursed_within_accepted],
        custom={"label": "Quyết toán, thanh lý", "inputs": SettlementInputs, "next": True},
    )
    def settle(self, *, user, settled_on):
        self.settled_on = settled_on

    @transition(
        field=status,
        source=BEFORE_ACCEPTANCE,
        target=Status.CANCELLED,
        permission=permission(is_manager),
        custom={
            "label": "Hủy đề án",
            "inputs": reason_inputs(
                "Lý do hủy",
                missing="Cần nêu lý do hủy đề án.",
                widget=forms.TextInput(attrs={"size": 40}),
            ),
        },
    )
    def cancel(self, *, user, reason):
        self.cancel_reason = reason


class SchemeChildQuerySet(VisibleToMixin, models.QuerySet):
    """Rows that belong to a scheme. Scope inside a scheme: a user in whose unit the scheme is
    placed (or who sees everything) sees all its rows. A partner, who sees the scheme only
    because a beneficiary of his unit takes part in it (SchemeQuerySet.in_unit), sees its
    scheme-level facts (items, inspections, acceptance, and the contracts, payments and
    documents of no beneficiary) and, of the rows of one beneficiary, only those of his unit's
    beneficiaries: another district's are no business of his, and answer 404 as his facility
    page would. `beneficiary_lookup` names the beneficiary of a row tied to one."""

    scheme_lookup = "scheme"
    beneficiary_lookup = None

    def in_unit(self, unit):
        schemes = Scheme.objects.in_unit(unit)
        if self.beneficiary_lookup is None:
            return self.filter(**{f"{self.scheme_lookup}__in": schemes})
        return self.filter(
            in_unit_q(unit, f"{self.scheme_lookup}__unit")
            | in_unit_q(unit, f"{self.beneficiary_lookup}__scope_unit")
            | Q(
                **{f"{self.beneficiary_lookup}__isnull": True, f"{self.scheme_lookup}__in": schemes}
            )
        )

    def of_one_beneficiary(self):
        """Whether its rows may be a beneficiary's, and then hidden from a partner."""
        return self.beneficiary_lookup is not None


class BeneficiaryRowQuerySet(SchemeChildQuerySet):
    """Contracts and dossier documents: a beneficiary's, or the scheme's own (NULL)."""

    beneficiary_lookup = "beneficiary"


class DisbursementQuerySet(SchemeChildQuerySet):
    scheme_lookup = "contract__scheme"
    beneficiary_lookup = "contract__beneficiary"


class SchemeBeneficiaryQuerySet(SchemeChildQuerySet):
    """Every beneficiary where the scheme is placed; elsewhere (a partner), his unit's only."""

    def in_unit(self, unit):
        return self.filter(in_unit_q(unit, "scheme__unit") | in_unit_q(unit, "scope_unit"))

    def of_one_beneficiary(self):
        return True

    def hidden_from(self, user):
        """The rows the user may not see: for a partner, the other units' beneficiaries, which
        the scheme page sums up in one line (how many, their support) without naming them."""
        return self.exclude(pk__in=self.model.objects.visible_to(user).values("pk"))


class SchemeItem(TimeStampedModel):
    """One line of a scheme: an activity with its programme and counterpart amounts."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="đề án", on_delete=models.CASCADE, related_name="items"
    )
    activity_type = models.ForeignKey(
        ActivityType, verbose_name="nội dung hỗ trợ", on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField("hạng mục", max_length=500)
    basis = models.CharField(
        "định mức tính theo",
        max_length=20,
        blank=True,
        help_text="Để trống: định mức chung của nội dung hỗ trợ.",
    )
    support_amount = MoneyField("kinh phí khuyến công")
    counterpart_amount = MoneyField("kinh phí đối ứng", default=0)
    # The token of the form that created it (SentOnceForm): the form sent twice saves once.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["form_token"])

    objects = SchemeChildQuerySet.as_manager()

    @property
    def cost(self):
        return self.support_amount + self.counterpart_amount

    class Meta:
        verbose_name = "hạng mục hỗ trợ"
        verbose_name_plural = "hạng mục hỗ trợ"
        ordering = ["id"]
        constraints = non_negative("support_amount", "counterpart_amount", prefix="item")

    def __str__(self):
        return self.description


class SchemeBeneficiary(TimeStampedModel):
    """A facility inside a scheme, with its own support and counterpart amounts."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="đề án", on_delete=models.CASCADE, related_name="beneficiaries"
    )
    facility = models.ForeignKey(
        Facility, verbose_name="cơ sở", on_delete=models.PROTECT, related_name="scheme_links"
    )
    request = models.OneToOneField(
        SupportRequest,
        verbose_name="đăng ký nhu cầu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scheme_link",
    )
    support_amount = MoneyField("kinh phí hỗ trợ")
    counterpart_amount = MoneyField("kinh phí đối ứng", default=0)
    no_other_state_funding = models.BooleanField(
        "cam kết không nhận hỗ trợ trùng từ nguồn ngân sách khác", default=False
    )
    # The facility's unit (triggers of migration 0007): a district follows the schemes its
    # facilities take part in without joining every beneficiary to its facility.
    scope_unit = scope_unit_field()
    # The token of the form that created it (SentOnceForm): the form sent twice saves once.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["scope_unit", "form_token"])

    objects = SchemeBeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = "cơ sở thụ hưởng"
        verbose_name_plural = "cơ sở thụ hưởng"
        ordering = ["id"]
        constraints = [
            *non_negative("support_amount", "counterpart_amount", prefix="beneficiary"),
            models.UniqueConstraint(
                fields=["scheme", "facility"], name="beneficiary_once_per_scheme"
            ),
        ]

    def __str__(self):
        return f"{self.facility} ({self.scheme.code})"


class Contract(TimeStampedModel):
    """Between the Centre and a beneficiary facility, or a supplier, for a scheme."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="đề án", on_delete=models.PROTECT, related_name="contracts"
    )
    beneficiary = models.ForeignKey(
        SchemeBeneficiary,
        verbose_name="cơ sở thụ hưởng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    party_name = models.CharField(
        "bên nhận hợp đồng", max_length=255, help_text="Cơ sở thụ hưởng hoặc nhà cung cấp."
    )
    number = models.CharField("số hợp đồng", max_length=50)
    signed_on = models.DateField("ngày ký")
    end_date = models.DateField("ngày hết hạn", null=True, blank=True)
    value = MoneyField("giá trị hợp đồng")
    closed_on = models.DateField("ngày thanh lý", null=True, blank=True)
    # The token of the form that created it (SentOnceForm): the form sent twice saves once.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["form_token"])

    objects = BeneficiaryRowQuerySet.as_manager()
    fact_dates = ("signed_on", "closed_on")  # its end date is a term, not a fact

    class Meta:
        verbose_name = "hợp đồng"
        verbose_name_plural = "hợp đồng"
        ordering = ["signed_on", "number"]
        constraints = [
            *non_negative("value", prefix="contract"),
            models.UniqueConstraint(
                fields=["scheme", "number"],
                name="contract_number_unique",
                violation_error_code="number",
                violation_error_message="Đề án đã có hợp đồng mang số này.",
            ),
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(beneficiary__isnull=False),
                name="contract_one_per_beneficiary",
                violation_error_code="beneficiary",
                violation_error_message="Cơ sở thụ hưởng này đã có hợp đồng.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("signed_on")),
                name="contract_ends_after_signing",
                violation_error_code="end_date",
                violation_error_message="Ngày kết thúc hợp đồng phải sau ngày ký.",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("signed_on")),
                name="contract_closed_after_signing",
                violation_error_code="closed_on",
                violation_error_message="Ngày thanh lý hợp đồng phải sau ngày ký.",
            ),
        ]

    def __str__(self):
        return f"HĐ {self.number} – {self.party_name}"


class Disbursement(TimeStampedModel):
    """Money paid out against a contract."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", "Tạm ứng"
        PAYMENT = "payment", "Thanh toán"
        SETTLEMENT = "settlement", "Quyết toán"

    contract = models.ForeignKey(
        Contract, verbose_name="hợp đồng", on_delete=models.PROTECT, related_name="disbursements"
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    paid_on = models.DateField("ngày chi")
    amount = MoneyField("số tiền")
    document_number = models.CharField("số chứng từ", max_length=50, blank=True)
    note = LimitedTextField("ghi chú", max_length=SHORT_TEXT, blank=True)
    # The token of the form that created it (SentOnceForm): the form sent twice saves once.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["form_token"])

    objects = DisbursementQuerySet.as_manager()
    fact_dates = ("paid_on",)

    class Meta:
        verbose_name = "tạm ứng, thanh toán"
        verbose_name_plural = "tạm ứng, thanh toán"
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="disbursement_amount_positive",
                violation_error_code="amount",
                violation_error_message="Số tiền chi phải lớn hơn 0 đồng.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} ({self.paid_on:%d/%m/%Y})"


class Inspection(TimeStampedModel):
    """A monitoring visit (kiểm tra, giám sát)."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="đề án", on_delete=models.CASCADE, related_name="inspections"
    )
    inspected_on = models.DateField("ngày kiểm tra")
    inspectors = models.CharField("thành phần đoàn", max_length=500)
    progress_percent = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    findings = LimitedTextField("kết quả kiểm tra", max_length=LONG_TEXT, blank=True)
    problems = LimitedTextField(
        "khó khăn, vướng mắc",
        max_length=LONG_TEXT,
        blank=True,
        help_text="Ví dụ: đường bị sạt lở, chậm giao máy.",
    )
    next_step = LimitedTextField("kiến nghị, bước tiếp theo", max_length=LONG_TEXT, blank=True)
    # The token of the form that created it (SentOnceForm): the form sent twice saves once.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["form_token"])

    objects = SchemeChildQuerySet.as_manager()
    fact_dates = ("inspected_on",)

    class Meta:
        verbose_name = "kiểm tra, giám sát"
        verbose_name_plural = "kiểm tra, giám sát"
        ordering = ["-inspected_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100),
                name="inspection_progress_0_100",
                violation_error_code="progress_percent",
                violation_error_message="Tiến độ từ 0 đến 100%%.",
            )
        ]

    def __str__(self):
        return f"Kiểm tra {self.scheme.code} ngày {self.inspected_on:%d/%m/%Y}"


class AcceptanceWaiver(TimeStampedModel):
    """An officer's recorded exception to the gates of a request for acceptance (progress at
    100 %, no unresolved problem, a complete dossier): the gates then unmet, which it lifts, and
    why, with who and when. Kept in the history and shown in the scheme's timeline. It lifts
    only the officer's request: the manager's approval of the acceptance still asks its own."""

    class Gate(models.TextChoices):
        PROGRESS = "progress", "tiến độ chưa đạt 100 %"
        PROBLEM = "problem", "vướng mắc chưa được giải quyết"
        DOSSIER = "dossier", "hồ sơ còn thiếu tài liệu"

    scheme = models.ForeignKey(
        Scheme, verbose_name="đề án", on_delete=models.CASCADE, related_name="acceptance_waivers"
    )
    gates = ArrayField(
        models.CharField(max_length=20, choices=Gate.choices), verbose_name="điều kiện được miễn"
    )
    reason = LimitedTextField("lý do", max_length=SHORT_TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = SchemeChildQuerySet.as_manager()

    class Meta:
        verbose_name = "ngoại lệ đề nghị nghiệm thu"
        verbose_name_plural = "ngoại lệ đề nghị nghiệm thu"
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="waiver_has_a_reason"),
            models.CheckConstraint(condition=~Q(gates=[]), name="waiver_names_a_gate"),
        ]

    def __str__(self):
        return f"Ngoại lệ đề nghị nghiệm thu {self.scheme_id}"

    def gate_labels(self):
        return ", ".join(self.Gate(gate).label for gate in self.gates)


class Acceptance(TimeStampedModel):
    """The acceptance review (nghiệm thu) of a scheme and its minutes."""

    class Result(models.TextChoices):
        PASSED = "passed", "Đạt"
        FAILED = "failed", "Không đạt"

    scheme = models.ForeignKey(
        Scheme, verbose_name="đề án", on_delete=models.PROTECT, related_name="acceptances"
    )
    held_on = models.DateField("ngày nghiệm thu")
    committee = LimitedTextField("hội đồng nghiệm thu", max_length=SHORT_TEXT)
    result = models.CharField("kết quả", max_length=20, choices=Result.choices)
    accepted_amount = MoneyField("kinh phí nghiệm thu")
    minutes = models.FileField("biên bản nghiệm thu", upload_to="acceptance/%Y/", blank=True)
    note = LimitedTextField("ghi chú", max_length=SHORT_TEXT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The token of the form that created it (SentOnceForm): the form sent twice saves once.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["form_token"])

    objects = SchemeChildQuerySet.as_manager()
    fact_dates = ("held_on",)

    class Meta:
        verbose_name = "nghiệm thu"
        verbose_name_plural = "nghiệm thu"
        ordering = ["held_on"]
        constraints = [
            *non_negative("accepted_amount", prefix="acceptance"),
            models.CheckConstraint(
                condition=Q(result="passed") | Q(accepted_amount=0),
                name="acceptance_failed_accepts_nothing",
            ),
        ]

    def __str__(self):
        return f"Nghiệm thu {self.scheme.code} ngày {self.held_on:%d/%m/%Y}"

    @classmethod
    def amount_for(cls, result, amount):
        """What a review accepts: the amount written down if it passed, nothing if it failed."""
        return amount if result == cls.Result.PASSED else 0

    def clean(self):
        super().clean()
        self.accepted_amount = self.amount_for(self.result, self.accepted_amount)


class SchemeTotals(models.Model):
    """What has been paid (all disbursements of its contracts) and accepted (passed acceptances)
    on a scheme, and its last inspection. The database keeps them (triggers of migrations 0007
    and 0008) on every write of a disbursement, contract, acceptance or inspection, however
    made; Django only reads them. The risk flags of the lists, the dashboard and the report are
    then tests on columns, not sums of 22,000 payments and a search of the inspections of every
    scheme each time."""

    scheme = models.OneToOneField(
        Scheme,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the database removes it with its scheme
        db_constraint=False,
        related_name="totals",
    )
    disbursed = models.BigIntegerField("đã chi", default=0)
    accepted = models.BigIntegerField("đã nghiệm thu", default=0)
    # Defaults in the database: the trigger that adds a scheme's row names the sums alone.
    has_passed_acceptance = models.BooleanField("đã nghiệm thu đạt", db_default=False)
    # The latest inspection (by its date, then the later entry): its date and its problems.
    last_inspected_on = models.DateField("kiểm tra gần nhất", null=True, blank=True)
    last_problem = models.TextField("vướng mắc ở lần kiểm tra gần nhất", blank=True, db_default="")

    class Meta:
        verbose_name = "tổng chi, nghiệm thu của đề án"
        verbose_name_plural = "tổng chi, nghiệm thu của đề án"

    def __str__(self):
        return f"{self.scheme_id}: {self.disbursed} / {self.accepted}"


class SchemeDocument(StoredFile):
    """A file of a scheme's dossier, of one beneficiary's dossier, or a photo of an inspection.
    Served only through a view that checks the user's scope."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="đề án", on_delete=models.CASCADE, related_name="documents"
    )
    beneficiary = models.ForeignKey(
        SchemeBeneficiary,
        verbose_name="cơ sở thụ hưởng",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name="đợt kiểm tra",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    kind = models.ForeignKey(
        DocumentKind,
        verbose_name="loại tài liệu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The token of the form that created it (SentOnceForm): the form sent twice saves once.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # A photo's small JPEG, made by the worker (tasks.make_thumbnail); empty until then.
    thumbnail = models.FileField("ảnh thu nhỏ", max_length=255, blank=True, default="")
    history = HistoricalRecords(excluded_fields=["form_token", "thumbnail"])

    objects = BeneficiaryRowQuerySet.as_manager()

    class Meta:
        verbose_name = "tài liệu đề án"
        verbose_name_plural = "tài liệu đề án"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class SupportRuleQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class SupportRule(TimeStampedModel):
    """A cap of the programme (định mức hỗ trợ): for an activity and a funding source, at most a
    share of the cost and/or an amount per facility, model, brand…, valid between two dates and
    taken from a legal text. A changed cap is a new row with its own dates, never an edit."""

    class Per(models.TextChoices):
        FACILITY = "facility", "mỗi cơ sở"
        MODEL = "model", "mỗi mô hình"
        SHOWCASE = "showcase", "mỗi mô hình trình diễn tại cơ sở đang sản xuất"
        BRAND = "brand", "mỗi thương hiệu"
        CLUSTER = "cluster", "mỗi cụm liên kết"
        ROUND = "round", "mỗi đợt, lần tổ chức"
        SCHEME = "scheme", "mỗi đề án, nhiệm vụ"

    activity_type = models.ForeignKey(
        ActivityType, verbose_name="nội dung hỗ trợ", on_delete=models.PROTECT, related_name="+"
    )
    funding_source = models.ForeignKey(
        FundingSource, verbose_name="nguồn kinh phí", on_delete=models.PROTECT, related_name="+"
    )
    per = models.CharField("tính cho", max_length=20, choices=Per.choices)
    percent = models.PositiveSmallIntegerField(
        "tối đa (% chi phí)", null=True, blank=True, help_text="Để trống nếu không giới hạn %."
    )
    cap_amount = MoneyField(
        "tối đa (đồng)", null=True, blank=True, help_text="Để trống nếu không giới hạn số tiền."
    )
    priority_multiplier = models.DecimalField(
        "hệ số địa bàn ưu tiên",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.50"),
        help_text="Nhân với mức tối đa (đồng) khi đề án ở vùng cao, biên giới, vùng đồng bào "
        "dân tộc thiểu số, huyện nghèo.",
    )
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    legal_text = models.CharField("văn bản quy định", max_length=255)
    note = LimitedTextField("ghi chú", max_length=SHORT_TEXT, blank=True)
    # The token of the form that created it (SentOnceForm): the form sent twice saves once.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["form_token"])

    objects = SupportRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "định mức hỗ trợ"
        verbose_name_plural = "định mức hỗ trợ"
        ordering = ["activity_type__code", "funding_source__order", "per", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=False) | Q(cap_amount__isnull=False),
                name="rule_has_a_cap",
                violation_error_message="Cần ít nhất một mức tối đa: theo %% chi phí hoặc số tiền.",
            ),
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="rule_percent_0_100",
                violation_error_code="percent",
                violation_error_message="Tỷ lệ tối đa từ 0 đến 100%%.",
            ),
            models.CheckConstraint(
                condition=Q(cap_amount__isnull=True) | Q(cap_amount__gt=0),
                name="rule_cap_positive",
                violation_error_code="cap_amount",
                violation_error_message=(
                    "Mức tối đa phải lớn hơn 0 đồng; để trống nếu không giới hạn."
                ),
            ),
            models.CheckConstraint(
                condition=Q(priority_multiplier__gte=1, priority_multiplier__lte=3),
                name="rule_multiplier_1_to_3",
                violation_error_code="priority_multiplier",
                violation_error_message="Hệ số địa bàn ưu tiên từ 1 đến 3.",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="rule_valid_to_after_from",
                violation_error_code="valid_to",
                violation_error_message="Ngày hết hiệu lực phải sau ngày có hiệu lực.",
            ),
        ]

    def __str__(self):
        return f"{self.activity_type.name} – {self.get_per_display()} ({self.legal_text})"

    def holds_on(self, day):
        """As SupportRuleQuerySet.valid_on, for a rule in hand."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def describe(self):
        """'≤ 50 % chi phí và ≤ 200.000.000 đ mỗi cơ sở'."""
        parts = []
        if self.percent is not None:
            parts.append(f"≤ {self.percent} % chi phí")
        if self.cap_amount is not None:
            parts.append(f"≤ {format_vnd(self.cap_amount)} {self.get_per_display()}")
        return " và ".join(parts)

    def allowed(self, *, cost, units=1, priority_units=0):
        """The most this rule allows for a cost in đồng, for `units` facilities (or models …)
        outside priority areas and `priority_units` inside them. The multiplier raises the
        amount, not the share of cost."""
        limits = []
        if self.percent is not None:
            limits.append(cost * self.percent // 100)
        if self.cap_amount is not None:
            raised = int(self.cap_amount * self.priority_multiplier)
            limits.append(self.cap_amount * units + raised * priority_units)
        return min(limits)


class RuleException(TimeStampedModel):
    """An item let above its cap by a permitted officer, with the reason: listed and kept in the
    history, so that every đồng above a cap is accounted for."""

    # The scheme too, so that the timeline keeps the exception after its item is deleted.
    scheme = models.ForeignKey(
        Scheme, verbose_name="đề án", on_delete=models.CASCADE, related_name="cap_exceptions"
    )
    item = models.OneToOneField(
        SchemeItem, verbose_name="hạng mục", on_delete=models.CASCADE, related_name="exception"
    )
    rule = models.ForeignKey(
        SupportRule, verbose_name="định mức", on_delete=models.PROTECT, related_name="exceptions"
    )
    allowed_amount = MoneyField("mức định mức cho phép")
    granted_amount = MoneyField("mức được chấp thuận")
    reason = LimitedTextField("lý do", max_length=SHORT_TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = SchemeChildQuerySet.as_manager()

    class Meta:
        verbose_name = "ngoại lệ định mức"
        verbose_name_plural = "ngoại lệ định mức"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_amount__gt=F("allowed_amount")),
                name="exception_above_the_cap",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="exception_has_a_reason"),
        ]

    def __str__(self):
        return f"Ngoại lệ: {self.item}"
