"""Django admin for platform admins. Complaints are read-only here (every change goes through the
services, with its checks and audit entry) and the complainant's identity is not shown at all."""

from django.contrib import admin

from .models import AnswerTemplate, Complaint


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = [
        "tracking_code",
        "title",
        "agency",
        "unit",
        "status",
        "channel",
        "received_at",
        "escalation_level",
    ]
    list_filter = ["status", "channel", "kind", "identity_mode", "agency"]
    search_fields = ["tracking_code", "title"]
    exclude = ["name", "email", "phone"]
    date_hierarchy = "received_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "agency"]
    list_filter = ["agency"]
