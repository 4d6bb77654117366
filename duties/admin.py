from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "stage", "due_on", "email_status", "created_at", "read_at")
    list_filter = ("stage", "kind", "email_status")
    search_fields = ("title", "key", "user__username")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
