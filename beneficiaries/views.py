"""Facility and request pages. Every object is read through its scoped queryset."""

from django.shortcuts import render

from khuyencong.pagination import paginate
from khuyencong.scope import get_visible_or_404

from .filters import FacilityFilter
from .models import Facility, SupportRequest


def facility_list(request):
    facilities = Facility.objects.visible_to(request.user).select_related("unit", "sector")
    filterset = FacilityFilter(request.GET, queryset=facilities, user=request.user)
    page = paginate(request, filterset.qs)
    return render(request, "beneficiaries/facility_list.html", {"filter": filterset, "page": page})


def facility_detail(request, pk):
    facility = get_visible_or_404(
        Facility.objects.select_related("unit__parent", "sector"), request.user, pk=pk
    )
    context = {
        "facility": facility,
        "requests": facility.requests.select_related("activity_type").order_by("-year"),
        "scheme_links": facility.scheme_links.select_related("scheme__plan__funding_source"),
        "history": facility.history.select_related("history_user")[:20],
    }
    return render(request, "beneficiaries/facility_detail.html", context)


def request_list(request):
    requests = (
        SupportRequest.objects.visible_to(request.user)
        .select_related("facility__unit", "activity_type")
        .order_by("-year", "facility__name")
    )
    return render(request, "beneficiaries/request_list.html", {"page": paginate(request, requests)})
