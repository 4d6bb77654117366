"""Facility list, detail, create and edit, and the facility spreadsheet downloads."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import redirect, render
from django.utils import timezone

from khuyencong.history import history_rows
from khuyencong.pagination import paginate
from khuyencong.responses import attachment, require, sent_twice
from khuyencong.roles import can_edit_facilities, is_district
from khuyencong.saving import SentTwice
from khuyencong.scope import get_visible_or_404

from .. import services
from ..filters import OPEN_STATUSES, FacilityFilter
from ..forms import DocumentForm, FacilityForm
from ..models import Facility, SupportRequest
from ..workbooks import facility_workbook


def _open_request_count():
    rows = (
        SupportRequest.objects.filter(facility=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("facility")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(rows)


def facility_list(request):
    facilities = (
        Facility.objects.visible_to(request.user)
        .select_related("unit", "sector")
        # A count per row, not a join grouped over every facility: only the page's rows count.
        .annotate(open_requests=_open_request_count())
        .order_by("name_key", "pk")
    )
    filterset = FacilityFilter(request.GET, queryset=facilities, user=request.user)
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "can_edit": can_edit_facilities(request.user),
    }
    return render(request, "beneficiaries/facility_list.html", context)


def facility_detail(request, pk):
    facility = get_visible_or_404(
        Facility.objects.select_related("unit__parent", "sector", "created_by"), request.user, pk=pk
    )
    can_edit = can_edit_facilities(request.user)
    context = {
        "facility": facility,
        "requests": facility.requests.select_related("activity_type").order_by("-year", "-pk"),
        "scheme_links": facility.scheme_links.select_related("scheme__plan__funding_source"),
        "documents": facility.documents.select_related("kind", "request", "uploaded_by"),
        "document_form": DocumentForm() if can_edit else None,
        "history": history_rows(facility),
        "can_edit": can_edit,
        "can_file_request": is_district(request.user),
    }
    return render(request, "beneficiaries/facility_detail.html", context)


def _facility_form(request, facility):
    user = request.user
    require(can_edit_facilities(user), "Chỉ cán bộ huyện và cán bộ tỉnh được nhập cơ sở.")
    if request.method != "POST":
        form = FacilityForm(instance=facility, user=user)
        return render(
            request, "beneficiaries/facility_form.html", {"form": form, "facility": facility}
        )
    with transaction.atomic():
        if facility.pk:
            # Read again under a lock: of two people saving at once, the second is told.
            facility = Facility.objects.select_for_update().get(pk=facility.pk)
        form = FacilityForm(request.POST, instance=facility, user=user)
        if earlier := form.sent_before():
            return sent_twice(request, earlier, "beneficiaries:facility_detail")
        if form.is_valid():
            try:
                facility = services.facility_save(form.instance, user=user)
            except SentTwice as twice:
                return sent_twice(request, twice.record, "beneficiaries:facility_detail")
            messages.success(request, f"Đã lưu cơ sở “{facility.name}”.")
            return redirect("beneficiaries:facility_detail", pk=facility.pk)
    return render(request, "beneficiaries/facility_form.html", {"form": form, "facility": facility})


def facility_create(request):
    return _facility_form(request, Facility())


def facility_edit(request, pk):
    return _facility_form(request, get_visible_or_404(Facility, request.user, pk=pk))


def facility_template(request):
    require(can_edit_facilities(request.user), "Bạn không có quyền nhập cơ sở.")
    return attachment(facility_workbook(request.user), "mau-nhap-co-so.xlsx")


def facility_export(request):
    """The facilities of the list as filtered, in the import's own columns."""
    facilities = Facility.objects.visible_to(request.user).order_by("name_key", "pk")
    filterset = FacilityFilter(request.GET, queryset=facilities, user=request.user)
    name = f"co-so-cnnt-{timezone.localdate():%Y%m%d}.xlsx"
    return attachment(facility_workbook(request.user, filterset.qs), name)
