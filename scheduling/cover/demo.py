"""Demo cover data: one open cover request in the Payments team (idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Team
from scheduling.cover.models import CoverRequest
from scheduling.cover.ranking import rank
from scheduling.cover.services import open_request
from scheduling.rotas.models import Seat

PLENTY = 3  # candidates enough to show a ranked list being asked in turn


def seed(log) -> None:
    """Open a cover request for a primary seat a few days ahead, unless one exists already."""
    team = Team.objects.filter(slug="payments").first()
    if team is None or CoverRequest.objects.for_team(team).exists():
        return
    soon = timezone.now() + timedelta(days=3)
    seats = (
        Seat.objects.published()
        .filter(
            shift__team=team,
            shift__starts_at__gt=soon,
            holder__isnull=False,
        )
        .select_related("shift__period__team", "holder")
        .order_by("shift__starts_at", "role")[:40]
    )
    # The seat most colleagues could take, so the demo shows a ranked list being asked; the
    # first with plenty will do (ranking builds a problem per seat).
    counted = []
    for i, s in enumerate(seats):
        found = rank(
            seat=s, requester=s.holder, starts_at=s.shift.starts_at, ends_at=s.shift.ends_at
        )
        counted.append((len(found), -i, s))
        if len(found) >= PLENTY:
            break
    seat = max(counted, key=lambda row: row[:2])[2] if counted else None
    if seat is None:
        log("  cover: no published seat three days ahead in Payments; no demo cover request")
        return
    request = open_request(seat=seat, user=seat.holder, reason="Family wedding (demo)")
    log(f"  cover: {seat.holder.name} asks for cover ({request.asks.count()} candidates)")
