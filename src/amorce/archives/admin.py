from django.contrib import admin

from .models import Collection, DuplicateGroup


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "n_images", "n_errors", "indexed_at")


@admin.register(DuplicateGroup)
class DuplicateGroupAdmin(admin.ModelAdmin):
    list_display = ("collection", "number", "status", "reviewed_by", "reviewed_at")
    list_filter = ("status",)
