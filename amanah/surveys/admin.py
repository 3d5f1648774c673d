from django.contrib import admin

from .models import FollowUpPlan, SurveyPeriod


class PlanInline(admin.TabularInline):
    model = FollowUpPlan
    extra = 0


@admin.register(SurveyPeriod)
class SurveyPeriodAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "agency",
        "unit",
        "status",
        "start",
        "end",
        "population",
        "required_sample",
    )
    list_filter = ("status", "agency")
    search_fields = ("unit__name", "unit__code", "title", "short_code")
    readonly_fields = (
        "required_sample",
        "snapshot",
        "short_code",
        "created_at",
        "closed_at",
        "published_at",
    )
    inlines = [PlanInline]
