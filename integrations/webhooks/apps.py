from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "integrations.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        # Listens to the rota, cover and on-call signals (scheduling never imports us).
        from integrations.webhooks import receivers  # noqa: F401
