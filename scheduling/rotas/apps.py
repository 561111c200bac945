from django.apps import AppConfig


class RotasConfig(AppConfig):
    name = "scheduling.rotas"
    label = "rotas"

    def ready(self) -> None:
        # Registers the "completed_shifts" automatic requirement check.
        from scheduling.availability.hooks import register_shift_source
        from scheduling.rotas import checks  # noqa: F401
        from scheduling.rotas.grid_source import shifts_by_day

        register_shift_source(shifts_by_day)
