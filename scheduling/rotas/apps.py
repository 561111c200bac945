from django.apps import AppConfig


class RotasConfig(AppConfig):
    name = "scheduling.rotas"
    label = "rotas"

    def ready(self) -> None:
        """Add the "completed_shifts" check, the grid's shifts, a needs-you line and the demo."""
        from accounts import demo as demo_data
        from accounts.needs import NEEDS
        from scheduling.availability.hooks import SHIFT_SOURCES
        from scheduling.rotas import (
            checks,  # noqa: F401 (adds completed_shifts)
            demo,
            needs,
        )
        from scheduling.rotas.grid_source import shifts_by_day

        SHIFT_SOURCES.add(shifts_by_day)
        NEEDS.add(needs.empty_seats)
        demo_data.SEEDS.add(demo.seed)
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
