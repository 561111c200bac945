"""Background jobs: apply rota changes, push over CalDAV, send invitations, the sweep."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from accounts.models import User
from calendars import invites, push, sync

# A dropped database connection fails the task: run it again on a fresh one in a few seconds.
RETRY_ON_DATABASE_ERROR = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": 8,
}


@shared_task
def process_change(change_id: int) -> None:
    """Apply one SeatChange to the calendars (once, however often this runs)."""
    sync.process_change(change_id=change_id)


@shared_task(**RETRY_ON_DATABASE_ERROR)
def push_user(user_id: int) -> None:
    """Push a person's pending entries to their CalDAV calendar."""
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        push.push_pending(user=user)


@shared_task(**RETRY_ON_DATABASE_ERROR)
def send_invitations(user_id: int) -> None:
    """Email a person's pending invitations and cancellations."""
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        invites.send_pending(user=user)


@shared_task
def sweep() -> None:
    """Apply SeatChanges no worker applied; retry deliveries whose back-off ended (each minute)."""
    sync.sweep()


@shared_task
def refresh_upcoming() -> None:
    """Re-check upcoming entries for changes outside the rota, e.g. a new phone (6-hourly)."""
    sync.refresh_upcoming()
