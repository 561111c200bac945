from django.apps import AppConfig


class CoverConfig(AppConfig):
    name = "scheduling.cover"
    label = "cover"
    verbose_name = "Cover requests"

    def ready(self) -> None:
        """Renew the team's stamp on cover changes; tell availability which seats a person holds."""
        from accounts import stamps
        from scheduling.availability.hooks import register_held_source
        from scheduling.cover.held import held_on_days
        from scheduling.cover.models import Ask, CoverRequest, CoverSettings, SwapOffer

        # The availability page warns about seats held on days marked unavailable.
        register_held_source(held_on_days)

        for model in (CoverSettings, CoverRequest, SwapOffer):
            stamps.watch(model, stamps.by_team)
        stamps.watch(Ask, lambda ask: [ask.request.team_id])
