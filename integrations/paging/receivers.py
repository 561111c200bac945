"""React to rota changes: the links of the changed seat's team and role plan and push."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from integrations.paging import tasks
from integrations.paging.models import ScheduleLink
from scheduling.rotas.signals import seat_changed

log = logging.getLogger(__name__)


@receiver(seat_changed, dispatch_uid="paging.seat_changed")
def on_seat_changed(sender, change, **kwargs) -> None:
    """Queue a sync of each schedule link of the seat's team and role (once per link)."""
    seat = change.seat
    links = ScheduleLink.objects.filter(team_id=seat.shift.team_id, role=seat.role)
    for pk in links.values_list("pk", flat=True):
        try:
            tasks.sync_link.delay(pk)
        except Exception:  # noqa: BLE001 (the minute sweep plans and pushes every link)
            log.warning("Could not enqueue paging sync %s; the sweep will run it", pk)
