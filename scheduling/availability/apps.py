from importlib.util import find_spec

from django.apps import AppConfig


class AvailabilityConfig(AppConfig):
    name = "scheduling.availability"
    label = "availability"

    def ready(self) -> None:
        """Register the "calendar_connected" requirement check if the requirements app exists."""
        if find_spec("scheduling.requirements.automatic") is not None:
            from scheduling.availability import checks  # noqa: F401
        from accounts import stamps
        from scheduling.availability import models

        for model in (models.AvailabilitySettings, models.AvailabilityDeadline):
            stamps.watch(model, stamps.by_team)
        for model in (
            models.AvailabilityEntry,
            models.CalendarConnection,
            models.BusyBlock,
            models.MonthConfirmation,
        ):
            stamps.watch(model, stamps.by_user)
