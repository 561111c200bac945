from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "scheduling.oncall"
    label = "oncall"
    verbose_name = "On call"
