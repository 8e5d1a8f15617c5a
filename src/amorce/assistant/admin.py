from django.contrib import admin

from .models import Conversation, Exchange, HandoverTicket, VerifiedQuestion


class ExchangeInline(admin.TabularInline):
    model = Exchange
    extra = 0
    fields = ("created_at", "question", "refused", "top_fiche_id", "feedback")
    readonly_fields = fields
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("key", "kb", "created_at", "updated_at")
    inlines = [ExchangeInline]


@admin.register(Exchange)
class ExchangeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "question", "refused", "confidence", "top_fiche_id", "feedback", "via")
    list_filter = ("refused", "feedback", "via")
    search_fields = ("question", "top_fiche_title")


@admin.register(HandoverTicket)
class HandoverTicketAdmin(admin.ModelAdmin):
    list_display = ("pk", "created_at", "status", "channel", "masked_contact", "assigned_to")
    list_filter = ("status",)


@admin.register(VerifiedQuestion)
class VerifiedQuestionAdmin(admin.ModelAdmin):
    list_display = ("updated_at", "kb", "question", "fiche_id", "created_by")
    list_filter = ("kb",)
    search_fields = ("question", "fiche_id", "fiche_title")
