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
        .order_by("shift__starts_at", "pk")
    )
    if exclude_period_id is not None:
        seats = seats.exclude(shift__period_id=exclude_period_id)
    wanted = set(ids)
    result: dict[int, list[Commitment]] = defaultdict(list)
    # Plain rows: a busy month across teams is hundreds of seats, each three model instances.
    rows = seats.values_list(
        "pk",
        "holder_id",
        "proposed_holder_id",
        "role",
        "shift__team_id",
        "shift__team__name",
        "shift__team__slug",
        "shift__period_id",
        "shift__period__version",
        "shift__period__state",
        "shift__label",
        "shift__starts_at",
        "shift__ends_at",
    )
    for (
        seat_id,
        holder_id,
        proposed_id,
        role,
        team_id,
        team_name,
        team_slug,
        period_id,
        version,
        state,
        label,
        starts_at,
        ends_at,
    ) in rows:
        people = set()
        if version > 0 and holder_id in wanted:
            people.add(holder_id)
        if state in DRAFT_STATES and proposed_id in wanted:
            people.add(proposed_id)
        for user_id in sorted(people):
            result[user_id].append(
                Commitment(
                    user_id=user_id,
                    seat_id=seat_id,
                    team_id=team_id,
                    team_name=team_name,
                    team_slug=team_slug,
                    period_id=period_id,
                    role=role,
                    label=label,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    published=holder_id == user_id and version > 0,
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
