from django.apps import AppConfig


class CoverConfig(AppConfig):
    name = "scheduling.cover"
    label = "cover"
    verbose_name = "Cover requests"

    def ready(self) -> None:
        """Add the "asked to cover" panel and the demo; renew stamps on requests, asks, swaps."""
        from accounts import dashboard, stamps
        from accounts import demo as demo_data
        from scheduling.cover import demo, panels
        from scheduling.cover.models import Ask, CoverRequest, CoverSettings, SwapOffer

        for model in (CoverSettings, CoverRequest, SwapOffer):
            stamps.watch(model, stamps.by_team)
        stamps.watch(Ask, lambda ask: [ask.request.team_id])
        dashboard.PANELS.add(panels.asked_panel)
        demo_data.SEEDS.add(demo.seed)
