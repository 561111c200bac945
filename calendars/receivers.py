"""React to rota changes announced by scheduling (which never imports calendars)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from calendars import tasks
from scheduling.rotas.signals import seat_changed

log = logging.getLogger(__name__)


@receiver(seat_changed, dispatch_uid="calendars.seat_changed")
def on_seat_changed(sender, change, **kwargs) -> None:
    """Queue the change for the calendars; if the broker is down the minute sweep applies it."""
    try:
        tasks.process_change.delay(change.pk)
    except Exception:  # noqa: BLE001 (the rota change is committed; the sweep catches up)
        log.warning("Could not enqueue SeatChange %s; the sweep will apply it", change.pk)
