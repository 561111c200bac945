"""A person is one person across teams: their seats outside the period being planned.

A commitment is a seat someone holds (published) or is proposed for (a recommended or published
draft) in another team, or in another period of the same team. The period's problem turns each
one into an unavailable window stretched by the team's rest, so the engine keeps both the
overlap rule and the rest rule across teams without knowing other teams exist.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q

from scheduling.rotas.models import PeriodState, Seat

# Drafts other teams are about to publish count as much as what they published.
DRAFT_STATES = (PeriodState.RECOMMENDED, PeriodState.PUBLISHED)


@dataclass(frozen=True)
class Commitment:
    """One seat a person holds or is proposed for outside the period being planned."""

    user_id: int
    seat_id: int
    team_id: int
    team_name: str
    team_slug: str
    period_id: int
    role: str
    label: str
    starts_at: datetime
    ends_at: datetime
    published: bool

    def stretched(self, rest: timedelta) -> tuple[datetime, datetime]:
        """Return the window no other seat of the person may touch: the seat plus rest."""
        return self.starts_at - rest, self.ends_at + rest

    def describe(self, tz) -> str:
        """Return e.g. "Platform London primary Tue 3 Mar 08:00–16:00"."""
        return f"{self.team_name} {self.seat(tz)}"

    def seat(self, tz) -> str:
        """Return e.g. "London primary Tue 3 Mar 08:00–16:00"."""
        start, end = self.starts_at.astimezone(tz), self.ends_at.astimezone(tz)
        label = f"{self.label} " if self.label else ""
        return f"{label}{self.role} {start:%a} {start.day} {start:%b %H:%M}–{end:%H:%M}"


def for_users(
    *,
    user_ids: Iterable[int],
    start: datetime,
    end: datetime,
    exclude_period_id: int | None = None,
) -> dict[int, list[Commitment]]:
    """Return user id → their seats overlapping [start, end) outside one period, in one query."""
    ids = list(user_ids)
    if not ids:
        return {}
    seats = (
        Seat.objects.filter(shift__starts_at__lt=end, shift__ends_at__gt=start)
        .filter(
            Q(holder_id__in=ids, shift__period__version__gt=0)
            | Q(proposed_holder_id__in=ids, shift__period__state__in=DRAFT_STATES)
        )
        .select_related("shift__team", "shift__period")
        .order_by("shift__starts_at", "pk")
    )
    if exclude_period_id is not None:
        seats = seats.exclude(shift__period_id=exclude_period_id)
    wanted = set(ids)
    result: dict[int, list[Commitment]] = defaultdict(list)
    for seat in seats:
        shift = seat.shift
        people = set()
        if shift.period.version > 0 and seat.holder_id in wanted:
            people.add(seat.holder_id)
        if shift.period.state in DRAFT_STATES and seat.proposed_holder_id in wanted:
            people.add(seat.proposed_holder_id)
        for user_id in sorted(people):
            result[user_id].append(
                Commitment(
                    user_id=user_id,
                    seat_id=seat.pk,
                    team_id=shift.team_id,
                    team_name=shift.team.name,
                    team_slug=shift.team.slug,
                    period_id=shift.period_id,
                    role=seat.role,
                    label=shift.label,
                    starts_at=shift.starts_at,
                    ends_at=shift.ends_at,
                    published=seat.holder_id == user_id and shift.period.version > 0,
                )
            )
    return dict(result)


def clashing(
    commitments: Iterable[Commitment], starts_at: datetime, ends_at: datetime, rest: timedelta
) -> list[Commitment]:
    """Return the commitments that overlap the window or leave less than the rest beside it."""
    return [c for c in commitments if c.starts_at < ends_at + rest and starts_at < c.ends_at + rest]


def past_by_team(
    *, user_ids: Iterable[int], before: datetime, exclude_period_id: int | None = None
) -> dict[int, Counter[str]]:
    """Return user id → team name → completed seats held in every team (experience)."""
    rows = (
        Seat.objects.filter(holder_id__in=list(user_ids), shift__ends_at__lte=before)
        .values("holder", "shift__team__name")
        .annotate(n=Count("id"))
    )
    if exclude_period_id is not None:
        rows = rows.exclude(shift__period_id=exclude_period_id)
    result: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        result[row["holder"]][row["shift__team__name"]] += row["n"]
    return dict(result)
