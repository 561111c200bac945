from django.apps import AppConfig


class RotasConfig(AppConfig):
    name = "scheduling.rotas"
    label = "rotas"
