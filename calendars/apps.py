from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "calendars"

    def ready(self) -> None:
        """Listen to scheduling.rotas.signals.seat_changed; add the demo."""
        from accounts import demo as demo_data
        from accounts.needs import NEEDS
        from calendars import demo, needs, receivers  # noqa: F401 (receivers connect on import)

        demo_data.SEEDS.add(demo.seed)
        NEEDS.add(needs.without_channel)
