from django.apps import AppConfig


class RequirementsConfig(AppConfig):
    name = "scheduling.requirements"
    label = "requirements"
    verbose_name = "Requirements"

    def ready(self) -> None:
        """Add the built-in checks, the dashboard panel and the demo; watch requirements."""
        from accounts import dashboard, stamps
        from accounts import demo as demo_data
        from scheduling.requirements import (
            checks,  # noqa: F401 (adds the built-in checks)
            demo,
            panels,
        )
        from scheduling.requirements.models import Completion, Requirement

        stamps.watch(Requirement, stamps.by_team)
        stamps.watch(Completion, stamps.by_user)
        dashboard.PANELS.add(panels.ready_panel)
        demo_data.SEEDS.add(demo.seed)
