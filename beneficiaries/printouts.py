"""A support request's sheet (phiếu đăng ký hỗ trợ khuyến công) as the facility signs it and the
commune confirms it, rendered in the request like the plan's PDF (one page)."""

from khuyencong.pdf import render_pdf
from khuyencong.printing import place_name, province_of


def request_sheet_pdf(support_request):
    facility = support_request.facility
    province = province_of(facility.unit)
    context = {
        "req": support_request,
        "facility": facility,
        "province": province,
        "place": place_name(facility.unit),
        # Dated the day it was sent to the province; a draft's date is left to write by hand.
        "day": support_request.submitted_at,
    }
    return render_pdf("beneficiaries/request_sheet_pdf.html", context)
