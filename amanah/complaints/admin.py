"""Django admin for platform admins. Complaints are read-only here (every change goes through the
services, with its checks and audit entry) and the complainant's identity is not shown at all."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import open311_keys
from .models import AnswerTemplate, Complaint, Open311Key


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


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """Lists the integrations' Open311 keys and revokes them (with an audit entry). A key is issued with
    ``amanah open311-key create`` (the only place it is ever shown); none is added or edited here."""

    list_display = ["prefix", "name", "agency", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["agency"]
    search_fields = ["prefix", "name"]
    fields = list_display
    readonly_fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Cabut kunci Open311 terpilih"))
    def revoke(self, request, queryset):
        done = sum(open311_keys.revoke(request.user, key) for key in queryset)
        self.message_user(request, _("Kunci yang dicabut: %(n)s.") % {"n": done})
