"""The rota-solution/1 result types and their JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .problem import Problem

FORMAT = "rota-solution/1"


@dataclass(frozen=True)
class Candidate:
    """One person who could legally take a seat, with a score in [0, 1] and why."""

    person: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Stage:
    """How one lexicographic stage of the solve went (for diagnostics and the bench)."""

    name: str
    status: str
    value: float
    seconds: float
    work: float = 0.0  # CP-SAT deterministic time, comparable across machines and loads.


@dataclass
class Solution:
    """A recommended rota: who holds each seat, resulting loads and ranked candidates."""

    status: str
    assignments: dict[str, str | None]
    load: dict[str, float]
    seconds: float
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    stages: list[Stage] = field(default_factory=list)

    @property
    def filled(self) -> int:
        """Return how many seats are held."""
        return sum(1 for holder in self.assignments.values() if holder is not None)


def loads(problem: Problem, assignments: Mapping[str, str | None]) -> dict[str, float]:
    """Return every person's weighted load under the assignments, rounded to 2 decimals."""
    totals = {p.id: 0.0 for p in problem.people}
    for slot in problem.slots:
        holder = assignments.get(slot.id)
        if holder is not None:
            totals[holder] += slot.weight
    return {person: round(total, 2) for person, total in totals.items()}


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    """Return the solution as a rota-solution/1 document."""
    return {
        "format": FORMAT,
        "status": solution.status,
        "assignments": dict(solution.assignments),
        "load": dict(solution.load),
        "seconds": round(solution.seconds, 3),
        "candidates": {
            slot_id: [
                {"person": c.person, "score": c.score, "reasons": list(c.reasons)} for c in ranked
            ]
            for slot_id, ranked in solution.candidates.items()
        },
    }
