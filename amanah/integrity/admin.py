"""Django admin: platform admins see the case register (numbers, routing, state) but never the
content or the reporter's identity — those are read only through the case pages, with an audit trail.

The register holds only the cases the signed-in user may see on the staff pages
(:func:`selectors.visible_cases`): an administrator who is the reported person, one of their superiors
or who declared a conflict does not find the case here either, and its page answers 404 like a case that
does not exist. Nor does the audit chain's register show the entries about such a case. No other model
of the app (messages, files, exclusions, disclosures) is registered."""

from django.contrib import admin
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404

from amanah.core.admin import AuditEntryAdmin

from . import selectors
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

    def get_queryset(self, request):
        return selectors.visible_cases(request.user)

    def get_object(self, request, object_id, from_field=None):
        # The admin would redirect with "does not exist, perhaps it was deleted": the same 404 as the
        # staff pages, for a hidden case and a missing one alike.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _hidden_audit_entries(request) -> Q:
    """The audit entries about cases hidden from the user (every integrity entry names its report)."""
    visible = selectors.visible_cases(request.user).order_by()
    ids = visible.annotate(ref=Cast("pk", CharField())).values("ref")
    return Q(object_type=Report._meta.label_lower) & ~Q(object_id__in=ids)


AuditEntryAdmin.hidden.append(_hidden_audit_entries)
