"""React to scheduling's signals (sent on commit); the sweep catches anything missed here."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from integrations.webhooks import events
from scheduling.cover.signals import cover_requested, cover_resolved
from scheduling.oncall.models import Handoff
from scheduling.oncall.signals import handoff
from scheduling.rotas.signals import seat_changed

log = logging.getLogger(__name__)


def _safely(what: str, action) -> None:
    # The rota change is committed already; a failure here must not break it (the sweep retries).
    try:
        action()
    except Exception:  # noqa: BLE001
        log.exception("Could not record the webhook event for %s; the sweep will", what)


@receiver(seat_changed, dispatch_uid="webhooks.seat_changed")
def on_seat_changed(sender, change, **kwargs) -> None:
    """Record seat.changed (and rota.published for a publish)."""
    _safely(f"SeatChange {change.pk}", lambda: events.seat_changed(change))


@receiver(handoff, dispatch_uid="webhooks.handoff")
def on_handoff(sender, team_id, role, at, **kwargs) -> None:
    """Record oncall.changed."""
    row = Handoff.objects.filter(team_id=team_id, role=role, at=at).first()
    if row is not None:
        _safely(f"handoff {row.key}", lambda: events.handoff(row))


@receiver(cover_requested, dispatch_uid="webhooks.cover_requested")
def on_cover_requested(sender, request, **kwargs) -> None:
    """Record cover.requested."""
    _safely(f"cover request {request.pk}", lambda: events.cover_requested(request))


@receiver(cover_resolved, dispatch_uid="webhooks.cover_resolved")
def on_cover_resolved(sender, request, outcome, **kwargs) -> None:
    """Record cover.resolved."""
    _safely(f"cover request {request.pk}", lambda: events.cover_resolved(request, outcome))
