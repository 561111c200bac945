"""Admin for project-wide records: the email outbox, so pending and failed mail is visible."""

from django.contrib import admin

from rota.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "kind", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("key", "subject", "to")
    readonly_fields = ("key", "created_at", "sent_at", "claimed_until", "attempts", "last_error")
