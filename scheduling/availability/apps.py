from importlib.util import find_spec

from django.apps import AppConfig


class AvailabilityConfig(AppConfig):
    name = "scheduling.availability"
    label = "availability"

    def ready(self) -> None:
        """Register the "calendar_connected" requirement check if the requirements app exists."""
        if find_spec("scheduling.requirements.automatic") is not None:
            from scheduling.availability import checks  # noqa: F401
