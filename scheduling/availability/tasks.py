"""Background jobs: import calendars, the 30-minute re-import, deadline reminders."""

from __future__ import annotations

from celery import shared_task

from rota.queue import after_commit
from scheduling.availability import connections, services
from scheduling.availability.models import CalendarConnection


@shared_task
def sync_connection(connection_id: int) -> None:
    """Import one calendar connection's busy blocks."""
    connection = CalendarConnection.objects.select_related("user").filter(pk=connection_id).first()
    if connection is None or connection.needs_calendar:
        return
    connections.import_connection(connection=connection)


@shared_task
def sync_all_connections() -> None:
    """Queue a re-import of every connection (runs every 30 minutes)."""
    ids = list(CalendarConnection.objects.syncable().values_list("pk", flat=True))
    for pk in ids:
        after_commit(sync_connection, pk)


@shared_task
def send_deadline_reminders() -> None:
    """Remind people who have not confirmed a month whose availability is due soon (daily)."""
    services.send_deadline_reminders()
