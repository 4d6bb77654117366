"""A plan and its schemes as the documents sent for approval: an .xlsx table and a PDF."""

from django.db.models import Prefetch
from django.utils import timezone

from khuyencong.pdf import render_pdf
from khuyencong.spreadsheets import listed_in_cell, write_workbook

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
