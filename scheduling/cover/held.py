"""Seats a person holds on days they mark unavailable, for the availability page's warning."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from scheduling.availability.hooks import HeldSeat
from scheduling.cover import services
from scheduling.cover.models import CoverRequest
from scheduling.rotas.models import Seat


def held_on_days(user: User, days: list[date]) -> list[HeldSeat]:
    """Return the future published seats the person holds overlapping the local days."""
    tz = user.tz
    window = Q()
    for day in sorted(set(days)):
        start = datetime.combine(day, time(0), tzinfo=tz)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        window |= Q(shift__starts_at__lt=end, shift__ends_at__gt=start)
    seats = list(
        Seat.objects.published()
        .filter(window, holder=user, shift__ends_at__gt=timezone.now())
        .select_related("shift__team")
        .order_by("shift__starts_at", "role")[:50]
    )
    asked = set(
        CoverRequest.objects.active()
        .filter(seat__in=seats, requested_by=user)
        .values_list("seat_id", flat=True)
    )
    return [
        HeldSeat(
            seat_id=seat.pk,
            label=f"{seat.shift.starts_at.astimezone(tz):%a %-d %b %H:%M} · "
            f"{seat.get_role_display()} · {seat.shift.team.name}",
            asked=seat.pk in asked,
        )
        for seat in seats
    ]


def ask_for_cover(
    *, user: User, seat_ids: list[int], reason: str = ""
) -> tuple[list[CoverRequest], list[str]]:
    """Open a cover request for each listed seat the person holds; return them and any refusals."""
    seats = list(
        Seat.objects.published()
        .filter(pk__in=seat_ids, holder=user, shift__ends_at__gt=timezone.now())
        .select_related("shift__team")
        .order_by("shift__starts_at")
    )
    opened, refused = [], []
    for seat in seats:
        try:
            opened.append(services.open_request(seat=seat, user=user, reason=reason))
        except services.CoverError as error:
            refused.append(f"{seat.shift.starts_at.astimezone(user.tz):%a %-d %b}: {error}")
    return opened, refused
