from django.apps import AppConfig


class CoverConfig(AppConfig):
    name = "scheduling.cover"
    label = "cover"
    verbose_name = "Cover requests"
