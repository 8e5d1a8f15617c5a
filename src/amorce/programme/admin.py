from django.contrib import admin

from . import models


class CriterionInline(admin.TabularInline):
    model = models.Criterion
    extra = 0


class MeetingInline(admin.TabularInline):
    model = models.InfoMeeting
    extra = 0


@admin.register(models.Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "opens", "closes", "budget", "published")
    inlines = [CriterionInline, MeetingInline]


class StateChangeInline(admin.TabularInline):
    model = models.StateChange
    extra = 0
    readonly_fields = ("from_state", "to_state", "at", "by", "comment")
    can_delete = False


@admin.register(models.Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "structure", "state", "score")
    list_filter = ("state", "call")
    search_fields = ("reference", "title", "structure")
    list_select_related = ("call",)
    raw_id_fields = ("owner", "eligibility_by")
    readonly_fields = ("state",)  # state changes go through the workflow (history)
    inlines = [StateChangeInline]


@admin.register(models.SelectionRun)
class SelectionRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "call", "created_at", "created_by")
    readonly_fields = ("params", "candidates", "result", "explanations", "what_if", "error")


admin.site.register(models.Decision)
admin.site.register(models.ConflictDeclaration)
