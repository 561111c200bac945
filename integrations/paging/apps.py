from django.apps import AppConfig


class PagingConfig(AppConfig):
    name = "integrations.paging"
    label = "paging"
    verbose_name = "Paging tools"

    def ready(self) -> None:
        # Listens to scheduling.rotas.signals.seat_changed (scheduling never imports us).
        from integrations.paging import receivers  # noqa: F401
