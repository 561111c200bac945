"""The automatic requirement check this app provides: "Has connected a calendar"."""

from __future__ import annotations

from datetime import date

from scheduling.availability.models import CalendarConnection
from scheduling.requirements.automatic import automatic_check


@automatic_check(
    "calendar_connected",
    "Has connected a calendar",
    how="Connect your calendar so Rota knows when you are busy.",
    url_name="availability:connections",
)
def calendar_connected(*, team, users: list, on: date, params: dict) -> dict[int, bool]:
    """Tell who has at least one calendar that has been imported successfully, in one query."""
    ids = [user.pk for user in users]
    connected = set(
        CalendarConnection.objects.working()
        .filter(user_id__in=ids)
        .values_list("user_id", flat=True)
    )
    return {user_id: user_id in connected for user_id in ids}
