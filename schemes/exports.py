"""A plan and its schemes as the documents sent for approval: an .xlsx table and a PDF."""

from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from khuyencong.pdf import render_pdf
from khuyencong.spreadsheets import Column, listed_in_cell, write_workbook

from .models import Scheme, SchemeBeneficiary


def plan_schemes(plan):
    """The plan's schemes (cancelled ones left out) with their beneficiaries: three queries."""
    return list(
        plan.schemes.exclude(status=Scheme.Status.CANCELLED)
        .select_related("unit", "activity_type")
        .prefetch_related(
            Prefetch(
                "beneficiaries",
                queryset=SchemeBeneficiary.objects.select_related("facility__unit"),
            )
        )
        .order_by("code")
    )


def plan_workbook(plan):
    schemes = plan_schemes(plan)
    rows = []
    for number, s in enumerate(schemes, start=1):
        names = listed_in_cell(
            f"{b.facility.name} ({b.facility.unit.name})" for b in s.beneficiaries.all()
        )
        rows.append(
            [
                number,
                s.code,
                s.title,
                s.get_kind_display(),
                s.activity_type.name,
                s.unit.name,
                names,
                s.implementing_body,
                s.start_date.strftime("%d/%m/%Y"),
                s.end_date.strftime("%d/%m/%Y"),
                s.budget,
                s.counterpart_budget,
                s.get_status_display(),
            ]
        )
    rows.append(
        [
            "",
            "",
            "Tổng cộng",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            sum(s.budget for s in schemes),
            sum(s.counterpart_budget for s in schemes),
            "",
        ]
    )
    rows.append(["", "", "Kinh phí được giao", "", "", "", "", "", "", "", plan.budget, "", ""])
    sheet = {
        "title": "Kế hoạch",
        "headers": [
            "STT",
            "Mã đề án",
            "Tên đề án, nhiệm vụ",
            "Loại",
            "Nội dung",
            "Địa bàn",
            "Cơ sở thụ hưởng",
            "Đơn vị thực hiện",
            "Bắt đầu",
            "Kết thúc",
            "Kinh phí khuyến công (đ)",
            "Đối ứng (đ)",
            "Trạng thái",
        ],
        "rows": rows,
        "widths": [5, 14, 45, 14, 30, 18, 45, 28, 11, 11, 18, 16, 14],
        "money_columns": [11, 12],
    }
    return write_workbook([sheet])


def plan_pdf(plan):
    schemes = plan_schemes(plan)
    context = {
        "plan": plan,
        "schemes": schemes,
        "total": sum(s.budget for s in schemes),
        "counterpart_total": sum(s.counterpart_budget for s in schemes),
        "today": timezone.localdate(),
    }
    return render_pdf("schemes/plan_pdf.html", context)


def scheme_totals(schemes):
    """The count and the sums of a list of schemes (all its rows, one query): budget, counterpart
    and disbursed (as SchemeTotals keeps it)."""
    totals = schemes.order_by().aggregate(
        count=Count("pk"),
        budget_sum=Coalesce(Sum("budget"), 0),
        disbursed_sum=Coalesce(Sum("totals__disbursed"), 0),
    )
    return totals


SCHEME_COLUMNS = [
    Column("Mã đề án", lambda s: s.code, width=14),
    Column("Tên đề án, nhiệm vụ", lambda s: s.title, width=48),
    Column("Loại", lambda s: s.get_kind_display(), width=14),
    Column("Nội dung", lambda s: s.activity_type.name, width=32),
    Column("Nguồn", lambda s: s.plan.funding_source.short_name, width=10),
    Column("Năm", lambda s: s.plan.year, "number", 8),
    Column("Địa bàn", lambda s: s.unit.name, width=24),
    Column("Đơn vị thực hiện", lambda s: s.implementing_body, width=30),
    Column("Bắt đầu", lambda s: s.start_date, "date", 12),
    Column("Kết thúc", lambda s: s.end_date, "date", 12),
    Column("Kinh phí KC (đồng)", lambda s: s.budget, "money", 18),
    Column("Đối ứng (đồng)", lambda s: s.counterpart_budget, "money", 18),
    Column("Đã ký hợp đồng (đồng)", lambda s: s.contracted or 0, "money", 18),
    Column("Đã giải ngân (đồng)", lambda s: s.disbursed or 0, "money", 18),
    Column("Trạng thái", lambda s: s.get_status_display(), width=20),
]


PLAN_AMOUNTS = ("budget", "allocated", "contracted", "disbursed", "accepted_amount")


def plan_totals(plans):
    """The count and the sums of the plan list's rows (annotated with_rollup, all on the page)."""
    totals = {key: sum(getattr(p, key) or 0 for p in plans) for key in PLAN_AMOUNTS}
    return {"count": len(plans), **totals}


PLAN_COLUMNS = [
    Column("Năm", lambda p: p.year, "number", 8),
    Column("Kế hoạch", lambda p: p.title, width=44),
    Column("Nguồn kinh phí", lambda p: p.funding_source.name, width=28),
    Column("Số quyết định", lambda p: p.decision_number, width=18),
    Column("Ngày quyết định", lambda p: p.decision_date, "date", 14),
    Column("Được giao (đồng)", lambda p: p.budget, "money", 18),
    Column("Đã phân bổ (đồng)", lambda p: p.allocated or 0, "money", 18),
    Column("Đã ký hợp đồng (đồng)", lambda p: p.contracted or 0, "money", 18),
    Column("Đã giải ngân (đồng)", lambda p: p.disbursed or 0, "money", 18),
    Column("Nghiệm thu (đồng)", lambda p: p.accepted_amount or 0, "money", 18),
    Column("Trạng thái", lambda p: p.get_status_display(), width=18),
]


def rule_columns(day):
    """The rule export's columns; its rows are (rule, whether it holds on `day`). The caps are
    amounts but not summed: a sum of caps means nothing."""
    return [
        Column("Nguồn kinh phí", lambda r: r[0].funding_source.name, width=28),
        Column(f"Tình trạng ngày {day:%d/%m/%Y}", lambda r: r[1], width=30),
        Column("Mã nội dung", lambda r: r[0].activity_type.code, width=10),
        Column("Nội dung hỗ trợ", lambda r: r[0].activity_type.name, width=40),
        Column("Tính cho", lambda r: r[0].get_per_display(), width=14),
        Column("Tối đa % chi phí", lambda r: r[0].percent, "number", 10),
        Column("Tối đa (đồng)", lambda r: r[0].cap_amount, "number", 18),
        Column("Hệ số địa bàn ưu tiên", lambda r: float(r[0].priority_multiplier), width=10),
        Column("Hiệu lực từ", lambda r: r[0].valid_from, "date", 12),
        Column("Hiệu lực đến", lambda r: r[0].valid_to, "date", 12),
        Column("Văn bản", lambda r: r[0].legal_text, width=40),
    ]
