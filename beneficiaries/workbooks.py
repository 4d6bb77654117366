"""The .xlsx files of district intake: blank templates with a sheet of allowed values, and the
export of facilities (which imports back unchanged)."""

from khuyencong.models import ActivityType
from khuyencong.spreadsheets import Column, write_workbook

from .forms import communes_for
from .imports import FacilityResource, SupportRequestResource
from .models import Facility, Sector, SupportRequest

LISTS = "Danh mục"
GUIDE = "Hướng dẫn"


def _headers(resource):
    return [f.column_name for f in resource.get_export_fields()]


def _lists_sheet(columns):
    """A sheet with one allowed-values list per column: {header: [values]}."""
    headers = list(columns)
    length = max((len(v) for v in columns.values()), default=0)
    rows = [
        [values[i] if i < len(values) else None for values in columns.values()]
        for i in range(length)
    ]
    return {"title": LISTS, "headers": headers, "rows": rows, "widths": [45] * len(headers)}


def _choices(headers, columns, lists):
    """Drop-downs: data column index → (lists sheet, its column, length)."""
    names = list(lists)
    return {
        headers.index(column) + 1: (LISTS, names.index(list_name) + 1, len(lists[list_name]))
        for column, list_name in columns.items()
    }


def _guide(lines):
    return {
        "title": GUIDE,
        "headers": ["Hướng dẫn nhập"],
        "rows": [[line] for line in lines],
        "widths": [110],
    }


def facility_lists(user):
    return {
        "Loại hình": [label for _, label in Facility.Kind.choices],
        "Ngành nghề": [s.name for s in Sector.objects.filter(is_active=True)],
        "Xã, phường, thị trấn": [f"{u.code} – {u.name}" for u in communes_for(user)],
    }


def facility_workbook(user, queryset=None):
    """The facility template (queryset None) or an export of the given facilities."""
    resource = FacilityResource(user=user)
    headers = _headers(resource)
    rows = []
    if queryset is not None:
        rows = resource.export(queryset.select_related("unit", "sector")).dict
        rows = [list(row.values()) for row in rows]
    lists = facility_lists(user)
    columns = {c: c for c in ("Loại hình", "Ngành nghề", "Xã, phường, thị trấn")}
    sheet = {
        "title": "Cơ sở",
        "headers": headers,
        "rows": rows,
        "widths": [10, 36, 22, 32, 30, 36, 24, 14, 22, 24, 12, 36],
        "choices": _choices(headers, columns, lists),
    }
    guide = _guide(
        [
            "Mỗi dòng là một cơ sở. Để trống cột “Mã cơ sở” khi thêm mới; giữ nguyên mã khi sửa.",
            "Loại hình, ngành nghề và xã chọn trong danh sách (trang “Danh mục”).",
            "Mã số thuế: 10 chữ số, hoặc 10 chữ số-3 chữ số với chi nhánh; bắt buộc với doanh "
            "nghiệp và hợp tác xã. Doanh nghiệp, hợp tác xã, tổ hợp tác phải có địa chỉ.",
            "Điện thoại: 10 chữ số (di động) hoặc 11 chữ số (cố định); nhiều số cách nhau "
            "bằng dấu phẩy.",
            "Tải tệp lên trang Cơ sở CNNT › Nhập từ Excel: xem trước, sửa lỗi nếu có, rồi "
            "xác nhận.",
        ]
    )
    return write_workbook([sheet, _lists_sheet(lists), guide])


def request_workbook(user):
    resource = SupportRequestResource(user=user)
    headers = _headers(resource)
    flags = [resource.fields[f].column_name for f in SupportRequest.PRIORITY_FLAGS]
    facilities = Facility.objects.visible_to(user).only("pk", "name").order_by("name")
    lists = {
        "Mã cơ sở": [f"{f.pk} – {f.name}" for f in facilities],
        "Nội dung hỗ trợ": [
            f"{a.code} – {a.name}"
            for a in ActivityType.objects.filter(parent__isnull=False, is_active=True)
        ],
        "Có / Không": ["Có", "Không"],
    }
    columns = {"Mã cơ sở": "Mã cơ sở", "Nội dung hỗ trợ": "Nội dung hỗ trợ"}
    choices = _choices(headers, columns, lists)
    for flag in flags:
        choices[headers.index(flag) + 1] = (LISTS, 3, 2)
    sheet = {
        "title": "Đăng ký",
        "headers": headers,
        "widths": [28, 30, 10, 40, 40, 18, 18, 18] + [16] * len(flags),
        "choices": choices,
    }
    guide = _guide(
        [
            "Mỗi dòng là một đăng ký nhu cầu hỗ trợ mới, được lưu ở trạng thái nháp.",
            "Mã cơ sở: chọn trong danh sách (trang “Danh mục”); cơ sở chưa có thì thêm trước.",
            "Số tiền ghi bằng đồng: 350000000, 350.000.000 hoặc 0,35 tỷ.",
            "Đề nghị hỗ trợ cộng kinh phí đối ứng không vượt tổng kinh phí.",
            "Sau khi nhập, mở từng đăng ký để tải hồ sơ lên và gửi lên tỉnh.",
        ]
    )
    return write_workbook([sheet, _lists_sheet(lists), guide])


def _request_columns(*, queue=False):
    """The columns of the request list's export (queue: the review queue's, with its waiting)."""
    columns = [
        Column("Năm", lambda r: r.year, "number", 8),
        Column("Mã cơ sở", lambda r: r.facility_id, "number", 10),
        Column("Cơ sở", lambda r: r.facility.name, width=36),
        Column("Địa bàn", lambda r: r.facility.unit.name, width=24),
        Column("Nội dung hỗ trợ", lambda r: str(r.activity_type), width=36),
        Column("Tổng kinh phí (đồng)", lambda r: r.total_cost, "money", 18),
        Column("Đề nghị hỗ trợ (đồng)", lambda r: r.support_requested, "money", 18),
        Column("Đối ứng (đồng)", lambda r: r.counterpart, "money", 18),
        Column("Ưu tiên (tối đa 6)", lambda r: r.priority_score, "number", 10),
        Column("Ngày gửi", lambda r: r.submitted_at, "date", 17),
        Column("Trạng thái", lambda r: r.get_status_display(), width=18),
    ]
    if queue:
        columns.insert(-1, Column("Số ngày chờ", lambda r: r.days_waiting, "number", 10))
    else:
        columns.append(Column("Lý do không chọn", lambda r: r.reject_reason, width=40))
    return columns


REQUEST_COLUMNS = _request_columns()
QUEUE_COLUMNS = _request_columns(queue=True)
