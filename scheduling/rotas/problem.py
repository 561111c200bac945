"""Build a rota-problem/1 document from a period, in a constant number of queries.

Eligibility encoding: the format gives each person one global `roles` set, but eligibility can
change inside a period (a certificate is earned or expires). For each person we pick the sound
encoding that loses fewer of their legitimate seats:

- "union": list every role they hold on some date, and mark unavailable the shifts on dates
  where they lack one of those roles that the shift offers (this also blocks their other
  roles in that shift, the price of a global roles set);
- "always": list only the roles they hold on every date, with no extra blocking.

Either way the engine can never seat a person in a role they are not eligible for that day.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Team, User
from scheduling.engine import Problem, ProblemError, parse_problem
from scheduling.requirements.state import Standing
from scheduling.rotas import commitments as commitments_of
from scheduling.rotas import inputs
from scheduling.rotas.commitments import Commitment
from scheduling.rotas.models import RotaPeriod, RotaSettings, Seat

ALWAYS_ELIGIBLE = frozenset({"shadow"})


def person_id(user_id: int) -> str:
    """Return the engine's id for a user."""
    return f"u{user_id}"


def user_id_of(person: str | None) -> int | None:
    """Return the user id behind an engine person id."""
    return int(person[1:]) if person else None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


@dataclass
class PeriodProblem:
    """A period's problem with everything the pages need to explain it."""

    period: RotaPeriod
    settings: RotaSettings
    seats: list[Seat]
    members: list[User]
    eligibility: dict[int, dict[date, frozenset[str]]]
    windows: dict[int, Any]
    seat_dates: dict[int, date]
    data: dict[str, Any]
    problem: Problem
    dropped_fixed: list[str] = field(default_factory=list)
    # Seats outside this period (other teams, other periods) and experience by team.
    commitments: dict[int, list[Commitment]] = field(default_factory=dict)
    past_by_team: dict[int, Counter[str]] = field(default_factory=dict)
    blocked: dict[int, set[int]] = field(default_factory=dict)
    # The members' requirements, loaded once and shared with the Explainer.
    standing: Standing | None = None
    # The one seat a focused build was read for (see build), None for the whole period.
    focus: int | None = None
    # user id → the period's local days → availability state (with_day_states=True only).
    day_states: dict[int, dict[date, str]] | None = None

    @property
    def rest(self) -> timedelta:
        return timedelta(hours=self.settings.min_rest_hours)

    @property
    def users(self) -> dict[int, User]:
        return {u.pk: u for u in self.members}

    def draft(self) -> dict[str, str | None]:
        """Return the draft assignments (proposed holders) by slot id."""
        members = self.users
        return {
            str(s.id): person_id(s.proposed_holder_id) if s.proposed_holder_id in members else None
            for s in self.seats
        }

    def eligible(self, user_id: int, seat: Seat) -> bool:
        """Tell whether the person may hold the seat's role on the shift's local date."""
        roles = self.eligibility.get(user_id, {}).get(self.seat_dates[seat.id], ALWAYS_ELIGIBLE)
        return seat.role in roles


def _local_date(moment: datetime, tz) -> date:
    return moment.astimezone(tz).date()


def _encode_roles(
    seats: list[Seat], seat_dates: dict[int, date], by_date: dict[date, frozenset[str]]
) -> tuple[set[str], set[int]]:
    """Return (roles, shift ids to block) for one person; see the module docstring."""
    offered = {seat.role for seat in seats}
    dates = set(seat_dates.values())

    # Each day's roles once: a month is 60 seats on 31 days for every member.
    known = {day: by_date.get(day, ALWAYS_ELIGIBLE) | ALWAYS_ELIGIBLE for day in dates}

    def roles_on(day: date) -> frozenset[str]:
        return known[day]

    union = set().union(*(roles_on(d) for d in dates)) & offered if dates else set()
    always = set.intersection(*(set(roles_on(d)) for d in dates)) & offered if dates else set()
    blocked: set[int] = set()
    for seat in seats:
        if seat.role in union and seat.role not in roles_on(seat_dates[seat.id]):
            blocked.add(seat.shift_id)
    legit = [s for s in seats if s.role in roles_on(seat_dates[s.id])]
    lost_union = sum(1 for s in legit if s.shift_id in blocked)
    lost_always = sum(1 for s in legit if s.role not in always)
    if lost_union < lost_always:
        return union, blocked
    return always, set()


def build(
    period: RotaPeriod,
    *,
    now: datetime | None = None,
    seat_id: int | None = None,
    with_day_states: bool = False,
) -> PeriodProblem:
    """Return the period's rota-problem/1 (draft locked seats as fixed, published as previous).

    With ``seat_id`` (the seat panel), read only what ranking and explaining that one seat
    needs: every seat's time and draft holder (loads, rest, the shift's partners), but
    eligibility on the seat's own day only and availability and other teams' seats around its
    shift only; no fixed seats or previous version. Eligibility is then exactly the person's
    roles that day (the whole period's encoding may block a shift for a person who holds only
    some of its roles). Raises Seat.DoesNotExist when the seat is not in the period.
    ``with_day_states``: read the grid's day states too, from the same availability rows.
    """
    now = now or timezone.now()
    team: Team = period.team
    settings = RotaSettings.for_team(team)
    tz = team.tz
    seats = list(
        Seat.objects.filter(shift__period=period)
        .select_related("shift")
        .order_by("shift__starts_at", "shift__label", "role")
    )
    members = list(User.objects.filter(memberships__team=team).order_by("display_name", "email"))
    seat_dates = {s.id: _local_date(s.shift.starts_at, tz) for s in seats}
    dates = sorted(set(seat_dates.values()))
    focus = next((s for s in seats if s.id == seat_id), None)
    if seat_id is not None and focus is None:
        raise Seat.DoesNotExist(f"No seat {seat_id} in period {period.pk}.")
    if focus is not None:
        dates = [seat_dates[focus.pk]]
        start, end = focus.shift.starts_at, focus.shift.ends_at
    elif seats:
        start = min(s.shift.starts_at for s in seats)
        end = max(s.shift.ends_at for s in seats)
    else:
        start, end = period.span()
    standing = inputs.standing(team=team, users=members)
    eligibility = inputs.eligible_roles(team=team, dates=dates, standing=standing) if dates else {}
    day_states = None
    if with_day_states:
        windows, day_states = inputs.windows_and_states(
            team=team,
            start=start,
            end=end,
            first=period.starts_on,
            last=period.ends_on,
            users=members,
        )
    else:
        windows = inputs.windows(team=team, start=start, end=end, users=members)
    member_pks = [u.pk for u in members]
    # Experience counts every team; a person is one person (design: issue 13).
    by_team = commitments_of.past_by_team(
        user_ids=member_pks, before=now, exclude_period_id=period.pk
    )
    past = Counter({user_id: sum(teams.values()) for user_id, teams in by_team.items()})
    rest = timedelta(hours=settings.min_rest_hours)
    around_start, around_end = start - rest, end + rest
    if focus is None:
        # The whole period too, for the health card's other teams' time (see health.from_seats).
        first, after = period.span()
        around_start, around_end = min(around_start, first), max(around_end, after)
    elsewhere = commitments_of.for_users(
        user_ids=member_pks, start=around_start, end=around_end, exclude_period_id=period.pk
    )
    shifts = {s.shift_id: s.shift for s in seats}
    people = []
    blocked_by_user: dict[int, set[int]] = {}
    for user in members:
        roles: set[str]
        blocked: set[int]
        if focus is not None:
            held = eligibility.get(user.pk, {}).get(dates[0], ALWAYS_ELIGIBLE) | ALWAYS_ELIGIBLE
            roles, blocked = set(held & {s.role for s in seats}), set()
        else:
            roles, blocked = _encode_roles(seats, seat_dates, eligibility.get(user.pk, {}))
        blocked_by_user[user.pk] = blocked
        own = windows.get(user.pk)
        unavailable = [(a, b) for a, b in (own.unavailable if own else [])]
        unavailable += [(shifts[i].starts_at, shifts[i].ends_at) for i in sorted(blocked)]
        unavailable += [c.stretched(rest) for c in elsewhere.get(user.pk, [])]
        people.append(
            {
                "id": person_id(user.pk),
                "roles": sorted(roles),
                "past_shifts": past[user.pk],
                "unavailable": [[_iso(a), _iso(b)] for a, b in unavailable],
                "preferred": [[_iso(a), _iso(b)] for a, b in (own.preferred if own else [])],
                "avoid": [[_iso(a), _iso(b)] for a, b in (own.avoid if own else [])],
            }
        )
    member_ids = {u.pk for u in members}
    data: dict[str, Any] = {
        "format": "rota-problem/1",
        "name": f"{team.slug}-{period.starts_on:%Y-%m-%d}",
        "timezone": team.timezone,
        "rules": {
            "min_rest_hours": settings.min_rest_hours,
            "experienced_threshold": settings.experienced_threshold,
            "require_experienced_in_window": settings.require_experienced,
            **(
                {"max_oncall_share": settings.max_oncall_percent / 100}
                if settings.max_oncall_percent
                else {}
            ),
        },
        "slots": [
            {
                "id": str(s.id),
                "start": _iso(s.shift.starts_at),
                "end": _iso(s.shift.ends_at),
                "role": s.role,
                "weight": s.shift.weight,
            }
            for s in seats
        ],
        "people": people,
        "fixed": [
            {"slot": str(s.id), "person": person_id(s.proposed_holder_id)}
            for s in seats
            if s.locked and s.proposed_holder_id in member_ids and focus is None
        ],
    }
    if period.version > 0 and focus is None:
        data["previous"] = {
            str(s.id): person_id(s.holder_id) if s.holder_id in member_ids else None for s in seats
        }
    problem, dropped = _parse_dropping_illegal_fixed(data)
    return PeriodProblem(
        period=period,
        settings=settings,
        seats=seats,
        members=members,
        eligibility=eligibility,
        windows=windows,
        seat_dates=seat_dates,
        data=data,
        problem=problem,
        dropped_fixed=dropped,
        commitments=elsewhere,
        past_by_team=by_team,
        blocked=blocked_by_user,
        standing=standing,
        focus=focus.pk if focus is not None else None,
        day_states=day_states,
    )


def _parse_dropping_illegal_fixed(data: dict[str, Any]) -> tuple[Problem, list[str]]:
    """Parse, leaving out locked seats a manager forced against the rules (they stay as set)."""
    dropped: list[str] = []
    for _ in range(len(data["fixed"]) + 1):
        try:
            return parse_problem(data), dropped
        except ProblemError as error:
            if not error.field.startswith("fixed["):
                raise
            index = int(error.field[len("fixed[") :].split("]")[0])
            dropped.append(data["fixed"].pop(index)["slot"])
    return parse_problem(data), dropped
