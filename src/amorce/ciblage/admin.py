from django.contrib import admin

from .models import Dataset, Plan, ScoreList, TrainedModel


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ("name", "format", "uploaded_by", "created")
    list_filter = ("format",)
    readonly_fields = ("folder", "files", "summary", "created")


@admin.register(TrainedModel)
class TrainedModelAdmin(admin.ModelAdmin):
    list_display = ("version", "dataset", "as_of", "created")
    readonly_fields = ("directory", "card", "metrics", "backtest", "created")


@admin.register(ScoreList)
class ScoreListAdmin(admin.ModelAdmin):
    list_display = ("model", "as_of", "count", "created")
    readonly_fields = ("path", "created")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("score_list", "start", "weeks", "exploration", "created")
    readonly_fields = ("rows", "created")
