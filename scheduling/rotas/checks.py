"""Automatic requirement checks the rota provides to the requirements app."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count
from django.utils import timezone

from scheduling.requirements.automatic import automatic_check
from scheduling.rotas.models import Seat


@automatic_check(
    "completed_shifts",
    "Has completed N shadow or secondary shifts",
    params=("count",),
    how="Take shadow or secondary shifts on the rota; each completed one counts.",
)
def completed_shifts(*, team, users: list, on: date, params: dict) -> dict[int, bool]:
    """Tell who completed `count` shadow or secondary seats of the team before the day."""
    needed = int(params.get("count") or 1)
    # Only shifts that really happened count: ended before the day starts and before now.
    cutoff = min(timezone.now(), datetime.combine(on, time(0), tzinfo=team.tz))
    done = dict(
        Seat.objects.filter(
            shift__team=team,
            holder__in=[u.pk for u in users],
            role__in=("shadow", "secondary"),
            shift__ends_at__lte=cutoff,
        )
        .values("holder")
        .annotate(n=Count("id"))
        .values_list("holder", "n")
    )
    return {user.pk: done.get(user.pk, 0) >= needed for user in users}
