from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("request/", views.report_request, name="report_request"),
    path("<int:pk>/status/", views.report_status, name="report_status"),
    path("<int:pk>/download/", views.report_download, name="report_download"),
    path(
        "<int:pk>/download/xlsx/",
        views.report_download,
        {"kind": "xlsx"},
        name="report_download_xlsx",
    ),
    path("<int:pk>/retry/", views.report_retry, name="report_retry"),
]
