from django.urls import path

from .views import plans

app_name = "plans"
urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("new/", plans.plan_create, name="plan_create"),
    path("export.xlsx", plans.plan_list_export, name="plan_list_export"),
    path("<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("<int:pk>/transition/<str:name>/", plans.plan_transition, name="plan_transition"),
    path("<int:pk>/builder/", plans.plan_builder, name="plan_builder"),
    path("<int:pk>/weights/", plans.plan_weights, name="plan_weights"),
    path("<int:pk>/export.xlsx", plans.plan_export_xlsx, name="plan_export_xlsx"),
    path("<int:pk>/export.pdf", plans.plan_export_pdf, name="plan_export_pdf"),
]
