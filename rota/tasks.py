"""Project-wide periodic tasks."""

from celery import shared_task

from rota.health import record_heartbeat


@shared_task
def heartbeat() -> None:
    """Record that a worker is alive."""
    record_heartbeat()


@shared_task(ignore_result=False)
def ping(value: int) -> int:
    """Return the value doubled; a round trip that proves a worker runs tasks."""
    return value * 2


@shared_task(ignore_result=False)
def count_teams() -> int:
    """Return the number of teams; shows a worker reads the same database as the web process."""
    from accounts.models import Team

    return Team.objects.count()
