"""A least-loaded, least-recently-on-call greedy baseline (and the solver's first hint)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from .candidates import candidates_for
from .problem import Problem
from .rules import in_conflict
from .solution import Solution, loads


class Roster:
    """Seats held so far, per person, with the checks a new seat must pass."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.index = problem.index
        self.held: list[list[int]] = [[] for _ in problem.people]
        self.units = [0] * len(problem.people)
        self.last_end = [float("-inf")] * len(problem.people)
        self.holder: list[int | None] = [None] * len(problem.slots)
        self.eligible = [set(e) for e in self.index.eligible]

    def legal(self, s: int, p: int) -> bool:
        """Return whether person p may take seat s alongside what they hold."""
        problem, index = self.problem, self.index
        if self.holder[s] is not None or s not in self.eligible[p]:
            return False
        person = problem.people[p]
        if person.max_shifts is not None and len(self.held[p]) >= person.max_shifts:
            return False
        slot = problem.slots[s]
        if not problem.within_oncall_share([slot, *(problem.slots[t] for t in self.held[p])]):
            return False
        if any(in_conflict(slot, problem.slots[t], index.rest) for t in self.held[p]):
            return False
        if problem.rules.require_experienced_in_window and not index.experienced[p]:
            others = [t for t in index.windows[index.window_of[s]] if t != s]
            holders = [self.holder[t] for t in others]
            if all(h is not None for h in holders) and not any(
                index.experienced[h] for h in holders if h is not None
            ):
                return False
        return True

    def take(self, s: int, p: int) -> None:
        """Give seat s to person p."""
        self.holder[s] = p
        self.held[p].append(s)
        self.units[p] += self.index.units[s]
        self.last_end[p] = max(self.last_end[p], self.problem.slots[s].end_ts)

    def release(self, s: int) -> int:
        """Take seat s back from its holder and return who held it."""
        p = self.holder[s]
        assert p is not None
        self.holder[s] = None
        self.held[p].remove(s)
        self.units[p] -= self.index.units[s]
        return p


def greedy_assign(
    problem: Problem, seed: Mapping[str, str | None] | None = None
) -> dict[str, str | None]:
    """Fill seats in time order, least-loaded then least-recently-on-call first.

    Fixed seats come first; then each legal seat of `seed` (e.g. a previous rota) is kept, so
    the result doubles as a minimal-change hint for the solver.
    """
    roster = Roster(problem)
    people = problem.person_by_id
    for slot_id, person_id in problem.fixed.items():
        roster.take(problem.slot_by_id[slot_id].index, people[person_id].index)
    if seed:
        for s in roster.index.order:
            seeded = seed.get(problem.slots[s].id)
            if seeded is not None and seeded in people:
                p = people[seeded].index
                if roster.legal(s, p):
                    roster.take(s, p)
    for s in roster.index.order:
        if roster.holder[s] is not None:
            continue
        choices = [p for p in roster.index.eligible_people[s] if roster.legal(s, p)]
        if choices:
            best = min(choices, key=lambda p: (roster.units[p], roster.last_end[p], p))
            roster.take(s, best)
    return {
        slot.id: None if (held := roster.holder[slot.index]) is None else problem.people[held].id
        for slot in problem.slots
    }


def greedy_solve(problem: Problem, *, candidates: bool = True) -> Solution:
    """Return the greedy baseline rota (for comparison; it makes no optimality claim)."""
    started = time.perf_counter()
    assignments = greedy_assign(problem)
    solution = Solution(
        status="feasible",
        assignments=assignments,
        load=loads(problem, assignments),
        seconds=0.0,
        candidates=candidates_for(problem, assignments) if candidates else {},
    )
    solution.seconds = time.perf_counter() - started
    return solution
