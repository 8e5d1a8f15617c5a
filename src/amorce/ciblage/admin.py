from django.contrib import admin

from .models import Dataset, Plan, ScoreList, TrainedModel


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ("name", "format", "created_by", "created_at")
    list_filter = ("format",)
    readonly_fields = ("folder", "files", "summary", "created_at")


@admin.register(TrainedModel)
class TrainedModelAdmin(admin.ModelAdmin):
    list_display = ("version", "dataset", "as_of", "created_at")
    readonly_fields = ("directory", "card", "metrics", "backtest", "created_at")


@admin.register(ScoreList)
class ScoreListAdmin(admin.ModelAdmin):
    list_display = ("model", "as_of", "count", "created_at")
    readonly_fields = ("path", "created_at")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("score_list", "start", "weeks", "exploration", "created_at")
    readonly_fields = ("rows", "created_at")
