from django.contrib import admin

from . import models


@admin.register(models.Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "category", "method", "jp", "agency", "is_active"]
    list_filter = ["category", "method", "is_active"]
    search_fields = ["code", "title"]


@admin.register(models.Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "type", "agency"]
    list_filter = ["type"]


@admin.register(models.PositionRequirement)
class PositionRequirementAdmin(admin.ModelAdmin):
    list_display = ["position", "competency", "level", "agency"]
    search_fields = ["position"]


@admin.register(models.SkpPeriod)
class SkpPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "start", "end"]


@admin.register(models.Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "employee", "jp", "status", "completed_on"]
    list_filter = ["status", "category"]
    search_fields = ["title", "employee__nip", "employee__name"]
    raw_id_fields = ["employee", "program", "certificate"]
