"""A scheme's printable PDFs (its summary, its acceptance minutes), for whoever may open the
scheme: read through the same scoped lookup as its page (404 outside the user's scope)."""

from django.utils.text import slugify

from khuyencong.responses import attachment, require
from khuyencong.roles import is_provincial
from khuyencong.scope import get_visible_or_404
from khuyencong.text import search_key

from ..models import Scheme
from ..printouts import acceptance_minutes_pdf, scheme_summary_pdf

PDF = "application/pdf"


def printable_scheme(request, pk):
    return get_visible_or_404(
        Scheme.objects.select_related(
            "plan__funding_source", "plan__unit", "unit", "activity_type"
        ).with_placement(request.user),
        request.user,
        pk=pk,
    )


def _file_name(prefix, scheme):
    """'bien-ban-nghiem-thu-kcdp-2023-01.pdf': plain letters in a download's name."""
    return f"{prefix}-{slugify(search_key(scheme.code))}.pdf"


def scheme_summary(request, pk):
    scheme = printable_scheme(request, pk)
    return attachment(scheme_summary_pdf(scheme, request.user), _file_name("tom-tat", scheme), PDF)


def acceptance_minutes(request, pk):
    scheme = printable_scheme(request, pk)
    # The Centre draws up the minutes and takes them to the review.
    require(is_provincial(request.user), "Chỉ cán bộ cấp tỉnh in biên bản nghiệm thu.")
    return attachment(
        acceptance_minutes_pdf(scheme, request.user), _file_name("bien-ban-nghiem-thu", scheme), PDF
    )
