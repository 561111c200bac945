from django.apps import AppConfig


class RequirementsConfig(AppConfig):
    name = "scheduling.requirements"
    label = "requirements"
    verbose_name = "Requirements"

    def ready(self) -> None:
        """Register the built-in automatic checks; renew stamps when requirements change."""
        from accounts import stamps
        from scheduling.requirements import checks  # noqa: F401
        from scheduling.requirements.models import Completion, Requirement

        stamps.watch(Requirement, stamps.by_team)
        stamps.watch(Completion, stamps.by_user)
