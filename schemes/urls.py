from django.urls import path

from . import views

app_name = "schemes"
urlpatterns = [
    path("", views.scheme_list, name="scheme_list"),
    path("<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("<int:pk>/transition/<str:name>/", views.scheme_transition, name="scheme_transition"),
]
