from django.apps import AppConfig


class RequirementsConfig(AppConfig):
    name = "scheduling.requirements"
    label = "requirements"
    verbose_name = "Requirements"

    def ready(self) -> None:
        """Add the built-in checks, the panel, a needs-you line and the demo; watch requirements."""
        from accounts import dashboard, stamps
        from accounts import demo as demo_data
        from accounts.needs import NEEDS
        from scheduling.requirements import (
            checks,  # noqa: F401 (adds the built-in checks)
            demo,
            needs,
            panels,
        )
        from scheduling.requirements.models import Completion, Requirement

        stamps.watch(Requirement, stamps.by_team)
        stamps.watch(Completion, stamps.by_user)
        dashboard.PANELS.add(panels.ready_panel)
        NEEDS.add(needs.approvals_waiting)
        demo_data.SEEDS.add(demo.seed)
