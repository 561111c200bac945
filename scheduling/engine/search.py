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


def _frozen(problem: Problem, holders: Holders) -> set[int]:
    """Return the seats that never move: fixed ones and those kept from the previous rota."""
    fixed = {problem.slot_by_id[s].index for s in problem.fixed}
    for slot_id, person_id in (problem.previous or {}).items():
        slot = problem.slot_by_id[slot_id]
        if person_id is not None and holders[slot.index] == problem.person_by_id[person_id].index:
            fixed.add(slot.index)
    return fixed


def swap_wishes(
    problem: Problem, holders: Holders, gain: dict[tuple[int, int], int], passes: int = 10
) -> Holders:
    """Return holders with equal-weight seats swapped between two people wherever wishes gain.

    Everyone keeps as many seats of each weight, so the seats filled and kept, the largest load
    and the sum of squares stay exactly as they were: a cheap start for the wishes stage, and
    most of its value when a busy machine leaves CP-SAT no time.
    """
    roster = Roster(problem)
    for s, p in enumerate(holders):
        if p is not None:
            roster.take(s, p)
    frozen = _frozen(problem, holders)
    units = roster.index.units
    movable = [s for s, p in enumerate(holders) if p is not None and s not in frozen]
    for _ in range(passes):
        improved = False
        for i, s in enumerate(movable):
            for t in movable[i + 1 :]:
                a, b = roster.holder[s], roster.holder[t]
                if a == b or units[s] != units[t] or a is None or b is None:
                    continue
                delta = (
                    gain.get((s, b), 0)
                    + gain.get((t, a), 0)
                    - gain.get((s, a), 0)
                    - gain.get((t, b), 0)
                )
                if delta > 0 and _swap(roster, s, t):
                    improved = True
        if not improved:
            break
    return list(roster.holder)


def _swap(roster: Roster, s: int, t: int) -> bool:
    """Swap the holders of seats s and t if the rules allow it; return whether it happened."""
    a, b = roster.release(s), roster.release(t)
    if roster.legal(s, b):
        roster.take(s, b)
        if roster.legal(t, a):
            roster.take(t, a)
            return True
        roster.release(s)
    roster.take(s, a)
    roster.take(t, b)
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
    fixed = _frozen(problem, holders)
    while time.perf_counter() < deadline:
        top = max(roster.units, default=0)
        tops = [a for a in range(len(problem.people)) if roster.units[a] == top]
        if not any(_relieve(roster, a, top, fixed) for a in tops):
            break
    return list(roster.holder)
