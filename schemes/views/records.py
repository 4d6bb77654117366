"""Entries on a scheme page: items, beneficiaries, contracts, payments, inspections,
acceptance and dossier documents. A refused entry shows the page again with the form open,
its errors and what the user typed; nothing is lost. An entry's form sent twice saves once, and
the second sending is shown the scheme page with the first's record and why."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from khuyencong.dossier_upload import dossier_batch
from khuyencong.filters import text_search
from khuyencong.responses import require, sent_twice, stored_file, stored_inline
from khuyencong.roles import is_officer
from khuyencong.saving import SentTwice
from khuyencong.scope import get_visible_or_404, parse_pk

from .. import services
from ..forms import (
    AcceptanceForm,
    BeneficiaryAmountsForm,
    BeneficiaryForm,
    ContractForm,
    DisbursementForm,
    InspectionForm,
    ItemForm,
    SchemeDocumentForm,
    beneficiary_candidates,
)
from ..models import Acceptance, SchemeBeneficiary, SchemeDocument, SchemeItem
from . import REFUSALS, refusal_text, report_refusal
from .schemes import entry_ids, render_detail, visible_scheme


def _entry(request, pk, name, form, write, done):
    """Validate `form`, then call write(scheme, cleaned_data); on success say `done` and go
    back to the scheme page, otherwise show it again with the form open."""
    scheme = visible_scheme(request, pk)  # out of scope: 404 before anything else
    require(is_officer(request.user), "Chỉ cán bộ Trung tâm Khuyến công ghi thông tin đề án.")
    bound = form(scheme)
    bound.auto_id = entry_ids(name)
    # Sent again after its answer: what it saved then is on the scheme page.
    if earlier := bound.sent_before():
        return sent_twice(request, earlier, "schemes:scheme_detail", pk=scheme.pk)
    if bound.is_valid():
        try:
            write(scheme, bound.cleaned_data)
        except SentTwice as twice:  # at the same instant as the first sending
            return sent_twice(request, twice.record, "schemes:scheme_detail", pk=scheme.pk)
        except (*REFUSALS, ValidationError) as refusal:
            # Shown in the form itself, next to what the user typed.
            bound.add_error(None, refusal_text(refusal))
        else:
            messages.success(request, done)
            return redirect("schemes:scheme_detail", pk=scheme.pk)
    return render_detail(request, scheme, bound={name: bound}, status=422)


@require_POST
def item_add(request, pk):
    def write(scheme, data):
        services.scheme_item_add(
            scheme=scheme,
            user=request.user,
            activity_type=data["activity_type"],
            description=data["description"],
            support_amount=data["support_amount"],
            counterpart=data["counterpart"] or 0,
            basis=data["basis"],
            exception_reason=data.get("exception_reason", ""),
            form_token=data["form_token"],
        )

    def form(scheme):
        return ItemForm(request.POST, may_grant=services.may_grant_exceptions(request.user))

    return _entry(request, pk, "item", form, write, "Đã thêm hạng mục.")


SEARCH_LIMIT = 50


def beneficiary_options(request, pk):
    """The <option>s of the facilities a scheme may take on that match `q` (the beneficiary
    form's search box asks for them as one types): the form's own list, searched."""
    scheme = visible_scheme(request, pk)
    found = text_search(beneficiary_candidates(scheme, request.user), request.GET.get("q", ""))
    facilities = list(found[: SEARCH_LIMIT + 1])
    context = {"facilities": facilities[:SEARCH_LIMIT], "more": len(facilities) > SEARCH_LIMIT}
    return render(request, "schemes/_facility_options.html", context)


@require_POST
def beneficiary_add(request, pk):
    def write(scheme, data):
        services.beneficiary_add(
            scheme=scheme,
            facility=data["facility"],
            user=request.user,
            support_amount=data["support_amount"],
            counterpart=data["counterpart"] or 0,
            declared=data["declared"],
            form_token=data["form_token"],
        )
        warning = services.double_funding_warning(scheme, data["facility"])
        if warning:
            messages.warning(request, warning)

    return _entry(
        request,
        pk,
        "beneficiary",
        lambda s: BeneficiaryForm(request.POST, scheme=s, user=request.user),
        write,
        "Đã thêm cơ sở thụ hưởng.",
    )


@require_POST
def contract_add(request, pk):
    def write(scheme, data):
        services.contract_sign(scheme=scheme, user=request.user, **data)

    return _entry(
        request,
        pk,
        "contract",
        lambda s: ContractForm(request.POST, scheme=s),
        write,
        "Đã ghi hợp đồng.",
    )


@require_POST
def disbursement_add(request, pk):
    def write(scheme, data):
        services.disbursement_record(user=request.user, **data)

    return _entry(
        request,
        pk,
        "disbursement",
        lambda s: DisbursementForm(request.POST, scheme=s),
        write,
        "Đã ghi khoản chi.",
    )


@require_POST
def inspection_add(request, pk):
    def write(scheme, data):
        services.inspection_record(scheme=scheme, user=request.user, **data)

    return _entry(
        request,
        pk,
        "inspection",
        lambda s: InspectionForm(request.POST, request.FILES),
        write,
        "Đã ghi kết quả kiểm tra.",
    )


@require_POST
def acceptance_add(request, pk):
    def write(scheme, data):
        services.acceptance_record(scheme=scheme, user=request.user, **data)

    return _entry(
        request,
        pk,
        "acceptance",
        lambda s: AcceptanceForm(request.POST, request.FILES),
        write,
        "Đã ghi biên bản nghiệm thu.",
    )


@require_POST
def document_add(request, pk):
    beneficiary_id = request.POST.get("beneficiary", "")

    def form(scheme):
        kinds = scheme.dossier_checklist() if not beneficiary_id else []
        if beneficiary_id:
            link = _beneficiary_of(scheme, beneficiary_id)
            kinds = scheme.beneficiary_checklists([link])[0][1]
        return SchemeDocumentForm(request.POST, request.FILES, kinds=[k for k, _ in kinds])

    def write(scheme, data):
        services.scheme_document_add(
            scheme=scheme,
            beneficiary=_beneficiary_of(scheme, beneficiary_id) if beneficiary_id else None,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            user=request.user,
            form_token=data["form_token"],
        )

    return _entry(request, pk, "document", form, write, "Đã tải tài liệu lên.")


@require_POST
def dossier_upload(request, pk):
    """Several files of the scheme's dossier in one sending, each with its kind."""
    scheme = visible_scheme(request, pk)
    require(is_officer(request.user), "Chỉ cán bộ Trung tâm Khuyến công ghi thông tin đề án.")
    kinds = [kind for kind, _documents in scheme.dossier_checklist()]
    return dossier_batch(
        request,
        kinds=kinds,
        saves=SchemeDocument,
        provided=scheme.documents.filter(beneficiary=None)
        .exclude(kind=None)
        .values_list("kind_id", flat=True),
        store=lambda uploads, token: services.scheme_dossier_upload(
            scheme=scheme, uploads=uploads, user=request.user, form_token=token
        ),
        back_url=reverse("schemes:scheme_detail", args=[pk]) + "#ho-so",
    )


def _beneficiary_of(scheme, beneficiary_id):
    link = scheme.beneficiaries.filter(pk=parse_pk(beneficiary_id) or 0).first()
    if link is None:
        raise Http404("Cơ sở thụ hưởng không thuộc đề án này.")
    return link


def _back(request, obj, do, done):
    """Run do() on a row of a scheme; say done or why not; back to the scheme page."""
    require(is_officer(request.user), "Chỉ cán bộ Trung tâm Khuyến công ghi thông tin đề án.")
    try:
        do()
    except REFUSALS as refusal:
        report_refusal(request, refusal)
    else:
        messages.success(request, done)
    return redirect("schemes:scheme_detail", pk=obj.scheme_id)


@require_POST
def item_delete(request, pk):
    item = get_visible_or_404(SchemeItem, request.user, pk=pk)
    return _back(
        request,
        item,
        lambda: services.scheme_item_remove(item, user=request.user),
        "Đã xóa hạng mục.",
    )


@require_POST
def beneficiary_update(request, pk):
    link = get_visible_or_404(SchemeBeneficiary, request.user, pk=pk)
    form = BeneficiaryAmountsForm(request.POST)

    def do():
        if not form.is_valid():
            raise services.RuleBroken(
                "Số tiền không hợp lệ: "
                + " ".join(e for errs in form.errors.values() for e in errs)
            )
        services.beneficiary_update(
            link,
            user=request.user,
            support_amount=form.cleaned_data["support_amount"],
            counterpart=form.cleaned_data["counterpart"] or 0,
            declared=form.cleaned_data["declared"],
            version=form.cleaned_data["version"],
        )

    return _back(request, link, do, f"Đã sửa kinh phí của “{link.facility.name}”.")


@require_POST
def beneficiary_declare(request, pk):
    link = get_visible_or_404(
        SchemeBeneficiary.objects.select_related("facility"), request.user, pk=pk
    )
    return _back(
        request,
        link,
        lambda: services.beneficiary_declare(link, user=request.user),
        f"Đã ghi nhận cam kết của “{link.facility.name}”.",
    )


@require_POST
def beneficiary_delete(request, pk):
    link = get_visible_or_404(
        SchemeBeneficiary.objects.select_related("facility"), request.user, pk=pk
    )
    return _back(
        request,
        link,
        lambda: services.beneficiary_remove(link, user=request.user),
        f"Đã bỏ “{link.facility.name}” khỏi đề án.",
    )


@require_POST
def document_delete(request, pk):
    document = get_visible_or_404(SchemeDocument, request.user, pk=pk)
    return _back(
        request,
        document,
        lambda: services.scheme_document_delete(document, user=request.user),
        f"Đã xóa “{document.title}”.",
    )


def document_download(request, pk):
    document = get_visible_or_404(SchemeDocument, request.user, pk=pk)
    return stored_file(document.file, document.title, document.content_type)


def _photo(request, pk):
    return get_visible_or_404(
        SchemeDocument.objects.filter(inspection__isnull=False), request.user, pk=pk
    )


def photo_view(request, pk):
    """An inspection photo shown in the browser, under its uploaded name."""
    photo = _photo(request, pk)
    extension = photo.file.name.rsplit(".", 1)[-1]
    return stored_inline(
        photo.file, photo.original_name or f"{photo.title}.{extension}", photo.content_type
    )


def photo_thumbnail(request, pk):
    """The photo's small JPEG (schemes/photos.py); the photo itself until the worker made it."""
    photo = _photo(request, pk)
    if not photo.thumbnail:
        return photo_view(request, pk)
    stem = (photo.original_name or photo.title).rsplit(".", 1)[0]
    return stored_inline(photo.thumbnail, f"{stem} (nhỏ).jpg", "image/jpeg")


def minutes_download(request, pk):
    acceptance = get_visible_or_404(
        Acceptance.objects.select_related("scheme"), request.user, pk=pk
    )
    if not acceptance.minutes:
        raise Http404("Biên bản chưa được tải lên.")
    title = f"Bien ban nghiem thu {acceptance.scheme.code} {acceptance.held_on:%d-%m-%Y}"
    return stored_file(acceptance.minutes, title)
