"""A support request's printable sheet, for whoever may open the request (404 outside scope)."""

from django.utils.text import slugify

from khuyencong.responses import attachment
from khuyencong.scope import get_visible_or_404
from khuyencong.text import search_key

from ..models import SupportRequest
from ..printouts import request_sheet_pdf


def request_sheet(request, pk):
    support_request = get_visible_or_404(
        SupportRequest.objects.select_related(
            "facility__unit", "facility__sector", "activity_type"
        ),
        request.user,
        pk=pk,
    )
    name = slugify(search_key(support_request.facility.name))[:60].strip("-")
    return attachment(
        request_sheet_pdf(support_request),
        f"phieu-dang-ky-{support_request.year}-{name}.pdf",
        "application/pdf",
    )
