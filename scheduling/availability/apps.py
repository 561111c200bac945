from django.apps import AppConfig


class AvailabilityConfig(AppConfig):
    name = "scheduling.availability"
    label = "availability"

    def ready(self) -> None:
        """Add the "calendar_connected" check, a needs-you line and the demo; watch availability."""
        from accounts import demo as demo_data
        from accounts import stamps
        from accounts.needs import NEEDS
        from scheduling.availability import (
            checks,  # noqa: F401 (adds calendar_connected)
            demo,
            models,
            needs,
        )

        for team_model in (models.AvailabilitySettings, models.AvailabilityDeadline):
            stamps.watch(team_model, stamps.by_team)
        for model in (
            models.AvailabilityEntry,
            models.CalendarConnection,
            models.BusyBlock,
            models.MonthConfirmation,
        ):
            stamps.watch(model, stamps.by_user)
        NEEDS.add(needs.not_confirmed)
        demo_data.SEEDS.add(demo.seed)
