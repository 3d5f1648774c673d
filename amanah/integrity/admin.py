"""Django admin: platform admins see the case register (numbers, routing, state) but never the
content or the reporter's identity — those are read only through the case pages, with an audit trail."""

from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = (
        "case_number",
        "kind",
        "agency",
        "handling_agency",
        "violation_type",
        "status",
        "outcome",
        "sanction_level",
        "protection_flag",
        "created_on",
    )
    list_filter = ("status", "violation_type", "kind", "protection_flag", "escalated")
    search_fields = ("case_number",)
    fields = (
        "case_number",
        "kind",
        "agency",
        "unit",
        "handling_agency",
        "escalated",
        "violation_type",
        "status",
        "outcome",
        "sanction_level",
        "created_on",
        "closed_on",
        "protection_flag",
        "purged_on",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
