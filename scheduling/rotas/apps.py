from django.apps import AppConfig


class RotasConfig(AppConfig):
    name = "scheduling.rotas"
    label = "rotas"

    def ready(self) -> None:
        # Registers the "completed_shifts" automatic requirement check.
        from scheduling.rotas import checks  # noqa: F401
