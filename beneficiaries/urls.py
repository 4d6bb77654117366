from django.urls import path

from .models import ImportBatch
from .views import documents, facilities, imports, printouts, requests

app_name = "beneficiaries"
urlpatterns = [
    path("facilities/", facilities.facility_list, name="facility_list"),
    path("facilities/new/", facilities.facility_create, name="facility_create"),
    path("facilities/export.xlsx", facilities.facility_export, name="facility_export"),
    path("facilities/template.xlsx", facilities.facility_template, name="facility_template"),
    path(
        "facilities/import/",
        imports.import_upload,
        {"kind": ImportBatch.Kind.FACILITIES},
        name="facility_import",
    ),
    path("facilities/<int:pk>/", facilities.facility_detail, name="facility_detail"),
    path("facilities/<int:pk>/edit/", facilities.facility_edit, name="facility_edit"),
    path(
        "facilities/<int:pk>/documents/",
        documents.facility_document_upload,
        name="facility_document_upload",
    ),
    path("requests/", requests.request_list, name="request_list"),
    path("requests/review/", requests.request_review_queue, name="request_review_queue"),
    path("requests/review/export.xlsx", requests.request_queue_export, name="request_queue_export"),
    path("requests/review/decide/", requests.request_queue_decide, name="request_queue_decide"),
    path("requests/new/", requests.request_create, name="request_create"),
    path("requests/export.xlsx", requests.request_export, name="request_export"),
    path("requests/template.xlsx", requests.request_template, name="request_template"),
    path(
        "requests/import/",
        imports.import_upload,
        {"kind": ImportBatch.Kind.REQUESTS},
        name="request_import",
    ),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", requests.request_edit, name="request_edit"),
    path("requests/<int:pk>/sheet.pdf", printouts.request_sheet, name="request_sheet_pdf"),
    path("requests/<int:pk>/choose/", requests.request_choose, name="request_choose"),
    path(
        "requests/<int:pk>/transition/<str:name>/",
        requests.request_transition,
        name="request_transition",
    ),
    path(
        "requests/<int:pk>/documents/",
        documents.request_document_upload,
        name="request_document_upload",
    ),
    path(
        "requests/<int:pk>/dossier/",
        documents.request_dossier_upload,
        name="request_dossier_upload",
    ),
    path("documents/<int:pk>/", documents.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", documents.document_delete, name="document_delete"),
    path("imports/batch/<uuid:pk>/", imports.import_preview, name="import_preview"),
]
