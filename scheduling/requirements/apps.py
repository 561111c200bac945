from django.apps import AppConfig


class RequirementsConfig(AppConfig):
    name = "scheduling.requirements"
    label = "requirements"
    verbose_name = "Requirements"

    def ready(self) -> None:
        """Register the built-in automatic checks."""
        from scheduling.requirements import checks  # noqa: F401
