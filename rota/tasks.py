"""Project-wide periodic tasks."""

from celery import shared_task

from rota.health import record_heartbeat


@shared_task
def heartbeat() -> None:
    """Record that a worker is alive."""
    record_heartbeat()
