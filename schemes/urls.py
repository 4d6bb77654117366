from django.urls import path

from .views import payments, printouts, records, rules, schemes

app_name = "schemes"
urlpatterns = [
    path("", schemes.scheme_list, name="scheme_list"),
    path("new/", schemes.scheme_create, name="scheme_create"),
    path("export.xlsx", schemes.scheme_export, name="scheme_export"),
    path("contracts/", payments.contract_list, name="contract_list"),
    path("contracts/export.xlsx", payments.contract_export, name="contract_export"),
    path("disbursements/", payments.disbursement_list, name="disbursement_list"),
    path("disbursements/export.xlsx", payments.disbursement_export, name="disbursement_export"),
    path("rules/", rules.rule_list, name="rule_list"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/export.xlsx", rules.rule_export, name="rule_export"),
    path("rules/<int:pk>/edit/", rules.rule_edit, name="rule_edit"),
    path("<int:pk>/", schemes.scheme_detail, name="scheme_detail"),
    path("<int:pk>/edit/", schemes.scheme_edit, name="scheme_edit"),
    path("<int:pk>/summary.pdf", printouts.scheme_summary, name="scheme_summary_pdf"),
    path("<int:pk>/acceptance-minutes.pdf", printouts.acceptance_minutes, name="minutes_pdf"),
    path("<int:pk>/transition/<str:name>/", schemes.scheme_transition, name="scheme_transition"),
    path("<int:pk>/items/", records.item_add, name="item_add"),
    path("<int:pk>/beneficiaries/", records.beneficiary_add, name="beneficiary_add"),
    path(
        "<int:pk>/beneficiaries/options/",
        records.beneficiary_options,
        name="beneficiary_options",
    ),
    path("<int:pk>/contracts/", records.contract_add, name="contract_add"),
    path("<int:pk>/disbursements/", records.disbursement_add, name="disbursement_add"),
    path("<int:pk>/inspections/", records.inspection_add, name="inspection_add"),
    path("<int:pk>/acceptances/", records.acceptance_add, name="acceptance_add"),
    path("<int:pk>/documents/", records.document_add, name="document_add"),
    path("<int:pk>/dossier/", records.dossier_upload, name="dossier_upload"),
    path(
        "<int:pk>/acceptance-waiver/", schemes.acceptance_waiver_add, name="acceptance_waiver_add"
    ),
    path("items/<int:pk>/delete/", records.item_delete, name="item_delete"),
    path("beneficiaries/<int:pk>/", records.beneficiary_update, name="beneficiary_update"),
    path("beneficiaries/<int:pk>/delete/", records.beneficiary_delete, name="beneficiary_delete"),
    path(
        "beneficiaries/<int:pk>/declare/", records.beneficiary_declare, name="beneficiary_declare"
    ),
    path("documents/<int:pk>/", records.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", records.document_delete, name="document_delete"),
    path("photos/<int:pk>/", records.photo_view, name="photo"),
    path("photos/<int:pk>/small/", records.photo_thumbnail, name="photo_thumbnail"),
    path("acceptances/<int:pk>/minutes/", records.minutes_download, name="minutes_download"),
]
