"""The .xlsx companion of a quarterly report: the report's tables, as numbers, for re-use."""

from khuyencong.dates import format_date_vn
from khuyencong.spreadsheets import write_workbook

MONEY_HEADERS = ["Phân bổ (đồng)", "Hợp đồng (đồng)", "Giải ngân (đồng)", "Nghiệm thu (đồng)"]


def _money(row):
    return [row.allocated, row.contracted, row.disbursed, row.accepted]


def _money_sheet(title, first_header, rows, total, *, plan=False):
    plan_header = ["Kế hoạch (đồng)"] if plan else []
    return {
        "title": title,
        "headers": ["TT", first_header, "Số đề án", *plan_header, *MONEY_HEADERS],
        "rows": [
            [i, row.name, row.schemes, *([row.plan_budget] if plan else []), *_money(row)]
            for i, row in enumerate(rows, start=1)
        ]
        + [["", "Tổng cộng", "", *([total.plan_budget] if plan else []), *_money(total)]],
        "money_columns": range(4, 9 if plan else 8),
        "widths": [5, 40, 10, *([18] if plan else []), 18, 18, 18, 18],
    }


def _scheme_sheet(title, lines, columns):
    """Schemes named by the report; `columns`: (header, width, value of a line[, is money])."""
    return {
        "title": title,
        "headers": ["TT", "Mã", "Tên đề án", "Địa bàn", *[c[0] for c in columns]],
        "rows": [
            [i, line.code, line.title, line.unit, *[c[2](line) for c in columns]]
            for i, line in enumerate(lines, start=1)
        ],
        "widths": [5, 14, 50, 24, *[c[1] for c in columns]],
        "money_columns": [5 + i for i, c in enumerate(columns) if c[3:] == (True,)],
    }


def report_workbook(figures, *, quarter):
    """Bytes of the .xlsx with the same tables as the PDF of `figures`."""
    summary = {
        "title": "Tổng hợp",
        "headers": ["Chỉ tiêu", "Giá trị"],
        "rows": [
            ["Phạm vi", figures.unit_name],
            ["Kỳ báo cáo", f"Quý {quarter}/{figures.year}"],
            ["Từ ngày", format_date_vn(figures.period_start)],
            ["Đến hết ngày", format_date_vn(figures.until)],
            ["Số đề án (cả đề án đã hủy)", figures.scheme_count],
            ["Số đề án được phân bổ kinh phí", figures.funded_count],
            ["Cơ sở được hỗ trợ", figures.facilities_reached],
            ["Lao động của các cơ sở", figures.workers_reached],
            ["Đề án nghiệm thu trong kỳ", len(figures.accepted_in_period)],
            ["Đề án chậm tiến độ, có rủi ro", len(figures.at_risk)],
        ],
        "widths": [32, 70],
    }
    # What the file was made from, apart from the figures: a sheet of its own, last.
    about = {
        "title": "Thông tin",
        "headers": ["Thông tin tệp", "Giá trị"],
        "rows": [
            ["Mã băm số liệu (SHA-256)", figures.digest()],
            [
                "Ghi chú",
                "Mã băm SHA-256 của toàn bộ số liệu báo cáo, lưu cùng báo cáo trên cổng: "
                "hai lần lập có cùng mã băm là có cùng số liệu.",
            ],
        ],
        "widths": [32, 70],
    }
    statuses = {
        "title": "Theo trạng thái",
        "headers": ["TT", "Trạng thái", "Số đề án", "Kinh phí khuyến công (đồng)"],
        "rows": [[i, row.label, row.count, row.budget] for i, row in enumerate(figures.statuses, 1)]
        + [["", "Tổng cộng", figures.scheme_count, figures.status_budget]],
        "money_columns": [4],
        "widths": [5, 30, 10, 24],
    }
    return write_workbook(
        [
            summary,
            _money_sheet("Theo nguồn", "Nguồn kinh phí", figures.sources, figures.total, plan=True),
            _money_sheet("Theo địa bàn", "Địa bàn", figures.by_unit, figures.total),
            _money_sheet("Theo nội dung", "Nội dung chính", figures.by_activity, figures.total),
            statuses,
            _scheme_sheet(
                "Nghiệm thu trong kỳ",
                figures.accepted_in_period,
                [
                    ("Ngày nghiệm thu", 14, lambda line: line.day),
                    ("Kinh phí nghiệm thu (đồng)", 20, lambda line: line.amount, True),
                ],
            ),
            _scheme_sheet(
                "Chậm tiến độ, rủi ro",
                figures.at_risk,
                [
                    ("Ngày kết thúc", 14, lambda line: line.day),
                    ("Trạng thái", 18, lambda line: line.status_label),
                    ("Rủi ro", 30, lambda line: "; ".join(line.risks)),
                    (
                        "Kiểm tra gần nhất",
                        14,
                        lambda line: line.last_inspected_on or "Chưa kiểm tra",
                    ),
                    ("Khó khăn, vướng mắc", 50, lambda line: line.last_problem),
                ],
            ),
            _scheme_sheet(
                "Quý tới",
                figures.due_next,
                [
                    ("Ngày kết thúc", 14, lambda line: line.day),
                    ("Trạng thái", 18, lambda line: line.status_label),
                ],
            ),
            about,
        ]
    )
