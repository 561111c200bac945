from django.apps import AppConfig


class CoverConfig(AppConfig):
    name = "scheduling.cover"
    label = "cover"
    verbose_name = "Cover requests"

    def ready(self) -> None:
        """Renew the team's stamp when a cover request, ask or swap changes."""
        from accounts import stamps
        from scheduling.cover.models import Ask, CoverRequest, CoverSettings, SwapOffer

        for model in (CoverSettings, CoverRequest, SwapOffer):
            stamps.watch(model, stamps.by_team)
        stamps.watch(Ask, lambda ask: [ask.request.team_id])
