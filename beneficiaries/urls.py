from django.urls import path

from . import views

app_name = "beneficiaries"
urlpatterns = [
    path("facilities/", views.facility_list, name="facility_list"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility_detail"),
    path("requests/", views.request_list, name="request_list"),
]
