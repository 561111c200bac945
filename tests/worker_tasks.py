"""Tasks only the tests send: a real worker imports them with `--include tests.worker_tasks`."""

from celery import shared_task


@shared_task(ignore_result=False)
def ping(value: int) -> int:
    """Return the value doubled; a round trip that proves a worker runs tasks."""
    return value * 2


@shared_task(ignore_result=False)
def count_teams() -> int:
    """Return the number of teams; shows a worker reads the same database as the web process."""
    from accounts.models import Team

    return Team.objects.count()
