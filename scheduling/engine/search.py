"""Local search that lowers the largest load of a rota, to give CP-SAT a better start."""

from __future__ import annotations

import time

from .greedy import Roster
from .problem import Problem

Holders = list[int | None]


def _relieve(roster: Roster, a: int, top: int, fixed: set[int]) -> bool:
    """Move or swap one of a's seats so that a drops below top and nobody reaches it."""
    index = roster.index
    units = index.units
    for s in sorted(roster.held[a], key=lambda t: -units[t]):
        if s in fixed or not units[s]:
            continue
        roster.release(s)
        others = sorted(
            (b for b in index.eligible_people[s] if b != a), key=lambda b: roster.units[b]
        )
        for b in others:
            if roster.units[b] + units[s] < top and roster.legal(s, b):
                roster.take(s, b)
                return True
        for b in others:
            for t in list(roster.held[b]):
                if t in fixed or units[t] >= units[s]:
                    continue
                if roster.units[b] - units[t] + units[s] >= top:
                    continue
                roster.release(t)
                if roster.legal(s, b):
                    roster.take(s, b)
                    if roster.legal(t, a):
                        roster.take(t, a)
                        return True
                    roster.release(s)
                roster.take(t, b)
        roster.take(s, a)
    return False


def flatten(problem: Problem, holders: Holders, deadline: float) -> Holders:
    """Return holders with the largest load (then how many share it) lowered by local moves.

    Fixed seats and seats kept from the previous rota never move, so the earlier stages'
    optima (seats filled, seats kept) survive.
    """
    roster = Roster(problem)
    for s, p in enumerate(holders):
        if p is not None:
            roster.take(s, p)
    fixed = {problem.slot_by_id[s].index for s in problem.fixed}
    for slot_id, person_id in (problem.previous or {}).items():
        slot = problem.slot_by_id[slot_id]
        if person_id is not None and holders[slot.index] == problem.person_by_id[person_id].index:
            fixed.add(slot.index)
    while time.perf_counter() < deadline:
        top = max(roster.units, default=0)
        tops = [a for a in range(len(problem.people)) if roster.units[a] == top]
        if not any(_relieve(roster, a, top, fixed) for a in tops):
            break
    return list(roster.holder)
