"""React to what scheduling announces (scheduling never imports this app)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from integrations.slack import notify
from scheduling.cover.signals import cover_asked, cover_resolved, swap_offered
from scheduling.oncall.signals import handoff
from scheduling.rotas.signals import seat_changed

log = logging.getLogger(__name__)


def _safely(name: str, work, **kwargs) -> None:
    """Run a reaction; a failure is logged and must not break the rota change that committed."""
    try:
        work(**kwargs)
    except Exception:
        log.exception("Slack could not react to %s %s", name, kwargs)


# Each receiver only writes outbox rows (sent by a worker after commit), so a broker that is
# down loses nothing: the minute sweep sends what no worker took.


@receiver(seat_changed, dispatch_uid="slack.seat_changed")
def on_seat_changed(sender, change, **kwargs) -> None:
    """A running seat changed hands: its role's user group follows."""
    _safely("seat_changed", notify.seat_changed, change_id=change.pk)


@receiver(handoff, dispatch_uid="slack.handoff")
def on_handoff(sender, team_id, role, shift_id, user_id, at, **kwargs) -> None:
    """A shift boundary: the group holds the new holder, who gets a DM."""
    _safely(
        "handoff",
        notify.handoff,
        team_id=team_id,
        role=role,
        shift_id=shift_id,
        user_id=user_id,
        at=at,
    )


@receiver(cover_asked, dispatch_uid="slack.cover_asked")
def on_cover_asked(sender, ask, **kwargs) -> None:
    """DM the question with Agree / Decline buttons."""
    _safely("cover_asked", notify.ask_dm, ask_id=ask.pk)


@receiver(swap_offered, dispatch_uid="slack.swap_offered")
def on_swap_offered(sender, offer, **kwargs) -> None:
    """DM the swap offer with Agree / Decline buttons."""
    _safely("swap_offered", notify.swap_dm, offer_id=offer.pk)


@receiver(cover_resolved, dispatch_uid="slack.cover_resolved")
def on_cover_resolved(sender, request, **kwargs) -> None:
    """Replace the buttons of the request's questions with the outcome."""
    _safely("cover_resolved", notify.request_closed, request_id=request.pk)
