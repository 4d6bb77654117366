from django.urls import path

from . import views

app_name = "duties"
urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("export.xlsx", views.task_export, name="task_export"),
    path("badge/", views.nav_badge, name="nav_badge"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read/", views.notification_read_all, name="notification_read_all"),
]
