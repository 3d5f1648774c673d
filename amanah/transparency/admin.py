from django.contrib import admin

from .models import IndicatorTarget


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ("agency", "code", "year", "target", "updated_by", "updated_at")
    list_filter = ("code", "year")
    search_fields = ("agency__name", "agency__code")
    readonly_fields = ("updated_by", "updated_at")
