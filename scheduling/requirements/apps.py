from django.apps import AppConfig


class RequirementsConfig(AppConfig):
    name = "scheduling.requirements"
    label = "requirements"
