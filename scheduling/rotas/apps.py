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
        _watch()


def _watch() -> None:
    """Renew the team's stamp whenever its rota changes."""
    from accounts import stamps
    from scheduling.rotas import models

    for model in (models.RotaSettings, models.RotationTemplate, models.RotaPeriod, models.Shift):
        stamps.watch(model, stamps.by_team)
    stamps.watch(models.ShiftPattern, lambda pattern: [pattern.template.team_id])
    stamps.watch(models.Seat, lambda seat: [seat.shift.team_id])
    stamps.watch(models.RotaVersion, lambda version: [version.period.team_id])
    stamps.watch(models.Recommendation, lambda rec: [rec.period.team_id])
