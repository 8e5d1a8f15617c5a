from django.contrib import admin

from . import models


@admin.register(models.Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("external_id", "jurisdiction", "date", "status", "max_doubt")
    list_filter = ("status",)
    search_fields = ("external_id",)


@admin.register(models.Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("decision", "action", "created_by", "created_at")
    readonly_fields = ("decision", "action", "created_by", "created_at", "before", "after")
