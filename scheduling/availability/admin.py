from django.contrib import admin

from scheduling.availability.models import (
    AvailabilityDeadline,
    AvailabilityEntry,
    AvailabilitySettings,
    CalendarConnection,
    MonthConfirmation,
)


@admin.register(CalendarConnection)
class CalendarConnectionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "kind",
        "display_host",
        "last_success_at",
        "consecutive_failures",
    ]
    # Secrets stay out of the admin, as everywhere else.
    exclude = ["ics_url", "password"]


admin.site.register(
    [AvailabilityEntry, AvailabilitySettings, AvailabilityDeadline, MonthConfirmation]
)
