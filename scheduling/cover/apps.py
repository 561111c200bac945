from django.apps import AppConfig


class CoverConfig(AppConfig):
    name = "scheduling.cover"
    label = "cover"
    verbose_name = "Cover requests"

    def ready(self) -> None:
        """Add cover's panel, needs-you line, held seats and demo; renew stamps on cover changes."""
        from accounts import dashboard, needs, stamps
        from accounts import demo as demo_data
        from scheduling.availability.hooks import HELD_SOURCES
        from scheduling.cover import demo, panels
        from scheduling.cover import needs as cover_needs
        from scheduling.cover.held import held_on_days
        from scheduling.cover.models import Ask, CoverRequest, CoverSettings, SwapOffer

        for model in (CoverSettings, CoverRequest, SwapOffer):
            stamps.watch(model, stamps.by_team)
        stamps.watch(Ask, lambda ask: [ask.request.team_id])
        dashboard.PANELS.add(panels.asked_panel)
        needs.NEEDS.add(cover_needs.urgent_cover)
        # The availability page warns about seats held on days marked unavailable.
        HELD_SOURCES.add(held_on_days)
        demo_data.SEEDS.add(demo.seed)
