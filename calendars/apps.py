from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "calendars"

    def ready(self) -> None:
        # Listens to scheduling.rotas.signals.seat_changed.
        from calendars import receivers  # noqa: F401
