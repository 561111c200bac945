from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "scheduling.oncall"
    label = "oncall"
    verbose_name = "On call"

    def ready(self) -> None:
        """Add the on-call panel and the demo; renew the team's stamp on handover notes."""
        from accounts import dashboard, stamps
        from accounts import demo as demo_data
        from scheduling.oncall import demo, panels
        from scheduling.oncall.models import HandoverNote

        stamps.watch(HandoverNote, lambda note: [note.shift.team_id])
        dashboard.PANELS.add(panels.oncall_panel)
        demo_data.SEEDS.add(demo.seed)
