"""Rank colleagues for a cover request with the engine's own scoring for that seat."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from accounts.models import User
from scheduling.engine import ProblemError, parse_problem, rank_candidates
from scheduling.rotas import problem as problem_builder
from scheduling.rotas.models import Seat, Shift

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ranked:
    user: User
    score: float
    reasons: tuple[str, ...]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def busy_holders(*, team_id: int, starts_at: datetime, ends_at: datetime) -> set[int]:
    """Return the people holding a published seat that overlaps the window (any period)."""
    return set(
        Seat.objects.published()
        .filter(
            shift__team_id=team_id,
            shift__starts_at__lt=ends_at,
            shift__ends_at__gt=starts_at,
            holder__isnull=False,
        )
        .values_list("holder_id", flat=True)
    )


def rank(*, seat: Seat, requester: User, starts_at: datetime, ends_at: datetime) -> list[Ranked]:
    """Return who could take the window of the seat, best first, without the requester."""
    shift: Shift = seat.shift
    # Only this seat's day and surroundings are read: every seat still counts for loads and rest.
    pp = problem_builder.build(shift.period, seat_id=seat.pk)
    data = copy.deepcopy(pp.data)
    # The published rota is the assignment we rank against: no draft, no re-solve.
    data.pop("previous", None)
    data["fixed"] = []
    members = pp.users
    assignments = {
        str(s.pk): problem_builder.person_id(s.holder_id) if s.holder_id in members else None
        for s in pp.seats
    }
    whole = (starts_at, ends_at) == (shift.starts_at, shift.ends_at)
    if whole:
        slot_id = str(seat.pk)
        assignments[slot_id] = None
    else:
        # A partial window is its own slot; the shift's other seats are copied into it so the
        # experience-pairing rule sees the partners who will be on call alongside.
        for other in shift.seats.all():
            cid = f"cover-{other.pk}"
            data["slots"].append(
                {
                    "id": cid,
                    "start": _iso(starts_at),
                    "end": _iso(ends_at),
                    "role": other.role,
                    "weight": shift.weight,
                }
            )
            holder = other.holder_id if other.pk != seat.pk and other.holder_id in members else None
            assignments[cid] = problem_builder.person_id(holder) if holder else None
        slot_id = f"cover-{seat.pk}"
    me = problem_builder.person_id(requester.pk)
    for person in data["people"]:
        if person["id"] == me:
            person["unavailable"].append([_iso(starts_at), _iso(ends_at)])
    try:
        problem = parse_problem(data)
        ranked = rank_candidates(problem, slot_id, assignments)
    except ProblemError as error:
        log.warning("cover: cannot rank candidates for seat %s: %s", seat.pk, error)
        return []
    busy = busy_holders(team_id=shift.team_id, starts_at=starts_at, ends_at=ends_at)
    result = []
    for candidate in ranked:
        user_id = problem_builder.user_id_of(candidate.person)
        if user_id == requester.pk or user_id in busy or user_id not in members:
            continue
        result.append(
            Ranked(user=members[user_id], score=candidate.score, reasons=tuple(candidate.reasons))
        )
    return result
