from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import Http404

from .models import (
    Agency,
    ApiToken,
    AuditEntry,
    Closure,
    Employee,
    RoleAssignment,
    Service,
    Unit,
    User,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "time_zone", "parent"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "agency", "parent", "kind", "head"]
    list_filter = ["agency", "kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["head", "parent"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit"]
    search_fields = ["code", "name"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["nip", "name", "unit", "position"]
    search_fields = ["nip", "name"]
    raw_id_fields = ["unit"]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "totp_enabled"]
    search_fields = ["email", "full_name"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "employee"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "totp_enabled"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    raw_id_fields = ["employee"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "agency", "is_working_day"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["chain", "seq", "created_at", "actor", "action", "object_type", "object_id"]
    #: Functions ``(request) -> Q`` of the entries the signed-in user must not see, added by the apps
    #: whose records are not everyone's to see (the whistleblowing cases hidden from the user:
    #: ``integrity/admin.py``), so that the chain does not tell them such a record exists.
    hidden: list = []

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        for hidden in self.hidden:
            qs = qs.exclude(hidden(request))
        return qs

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(ApiToken)
