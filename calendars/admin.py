from django.contrib import admin

from calendars.models import CalendarEntry, CalendarPreferences, Delivery, PushTarget, TeamFeed


@admin.register(CalendarEntry)
class CalendarEntryAdmin(admin.ModelAdmin):
    list_display = ["uid", "user", "sequence", "status", "changed_at"]
    list_filter = ["status"]
    search_fields = ["uid", "user__email"]
    raw_id_fields = ["user", "seat"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "entry",
        "channel",
        "pending",
        "wanted_sequence",
        "delivered_sequence",
        "attempts",
        "last_error",
    ]
    list_filter = ["channel", "pending"]
    raw_id_fields = ["entry"]


@admin.register(PushTarget)
class PushTargetAdmin(admin.ModelAdmin):
    list_display = ["user", "calendar_name", "server_url", "state", "last_push_at", "last_error"]
    list_filter = ["state"]
    exclude = ["password"]  # never shown, even encrypted


admin.site.register(
    CalendarPreferences,
    list_display=["user", "email_invites", "show_as_busy", "feed_read_at"],
    exclude=["feed_token"],
)
admin.site.register(TeamFeed, exclude=["token"])
