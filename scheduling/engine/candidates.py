"""Rank the people who could legally take one seat, with a score and plain reasons.

Legal means: the role, no unavailability during the seat, no overlap or short rest beside the
person's other seats in the draft, max_shifts, and not completing a window of newcomers. The
score in [0, 1] is 0.6 * m / (m + load) (m: the team's mean load, or the seat's weight if more;
load: the person's weighted load without this seat) + 0.25 * experience (past shifts, saturating
at twice the threshold) + 0.15 * wishes (0.5, up for preferred time, down for avoided time).
"""

from __future__ import annotations

from collections.abc import Mapping

from .problem import Problem, ProblemError
from .rules import can_hold, coverage, in_conflict
from .solution import Candidate

DEFAULT_LIMIT = 10
# How much each part counts towards the score; they sum to 1 so the score stays in [0, 1].
_LOAD_SHARE = 0.6
_EXPERIENCE_SHARE = 0.25
_WISH_SHARE = 0.15


def _plural(n: int, word: str) -> str:
    """Return "1 shift" / "3 shifts"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


class Ranker:
    """Ranks candidates for any seat against one fixed set of draft assignments."""

    def __init__(self, problem: Problem, assignments: Mapping[str, str | None]) -> None:
        self.problem = problem
        self.holder: dict[int, int] = {}
        self.held: list[list[int]] = [[] for _ in problem.people]
        self.weight = [0.0] * len(problem.people)
        for slot_id, person_id in assignments.items():
            slot = problem.slot_by_id.get(slot_id)
            if slot is None:
                raise ProblemError(f"assignments.{slot_id}", f"unknown slot {slot_id!r}")
            if person_id is None:
                continue
            person = problem.person_by_id.get(person_id)
            if person is None:
                raise ProblemError(f"assignments.{slot_id}", f"unknown person {person_id!r}")
            self.holder[slot.index] = person.index
            self.held[person.index].append(slot.index)
            self.weight[person.index] += slot.weight
        self.seats = len(self.holder)
        self.total_weight = sum(self.weight)

    def legal(self, s: int, p: int, *, eligible: bool = False) -> bool:
        """Return whether person p could take seat s given their other seats.

        eligible: the caller already knows p has the role and is available.
        """
        problem = self.problem
        index = problem.index
        person, slot = problem.people[p], problem.slots[s]
        if not eligible and not can_hold(person, slot):
            return False
        others = [t for t in self.held[p] if t != s]
        if person.max_shifts is not None and len(others) >= person.max_shifts:
            return False
        if not problem.within_oncall_share([slot, *(problem.slots[t] for t in others)]):
            return False
        if any(in_conflict(slot, problem.slots[t], index.rest) for t in others):
            return False
        if problem.rules.require_experienced_in_window and not index.experienced[p]:
            mates = [self.holder.get(t) for t in index.windows[index.window_of[s]] if t != s]
            if all(m is not None for m in mates) and not any(
                index.experienced[m] for m in mates if m is not None
            ):
                return False
        return True

    def rank(self, slot_id: str, limit: int | None = None) -> list[Candidate]:
        """Return the legal candidates for the seat, best first."""
        problem = self.problem
        slot = problem.slot_by_id.get(slot_id)
        if slot is None:
            raise ProblemError("slot_id", f"unknown slot {slot_id!r}")
        s = slot.index
        current = self.holder.get(s)
        # Loads are measured without this seat, so the holder is compared like anyone else.
        people = max(len(problem.people), 1)
        mean_seats = (self.seats - (current is not None)) / people
        mean_weight = (self.total_weight - (slot.weight if current is not None else 0.0)) / people
        scale = max(mean_weight, slot.weight, 1e-9)
        threshold = problem.rules.experienced_threshold
        ranked: list[tuple[float, int, Candidate]] = []
        for p in problem.index.eligible_people[s]:
            if not self.legal(s, p, eligible=True):
                continue
            person = problem.people[p]
            seats = len(self.held[p]) - (current == p)
            weight = self.weight[p] - (slot.weight if current == p else 0.0)
            load_part = scale / (scale + weight)
            experience_part = min(person.past_shifts / (2 * threshold), 1.0) if threshold else 1.0
            prefers = coverage(person.preferred, slot.start_ts, slot.end_ts)
            avoids = coverage(person.avoid, slot.start_ts, slot.end_ts)
            wish_part = 0.5 + 0.5 * prefers - 0.5 * avoids
            score = (
                _LOAD_SHARE * load_part
                + _EXPERIENCE_SHARE * experience_part
                + _WISH_SHARE * wish_part
            )
            reasons = ["holds this seat in this rota"] if current == p else []
            reasons.append("available")
            if prefers:
                reasons.append(
                    "prefers this day" if prefers >= 0.5 else "prefers part of this shift"
                )
            if avoids:
                reasons.append(
                    "would rather avoid this day"
                    if avoids >= 0.5
                    else "would rather avoid part of this shift"
                )
            reasons.append(
                f"{_plural(seats, 'shift')} so far this period (team mean {mean_seats:.1f})"
            )
            if abs(weight - seats) > 1e-9 or abs(mean_weight - mean_seats) > 1e-9:
                reasons.append(f"weighted load {weight:g} (team mean {mean_weight:.1f})")
            reasons.append(_plural(person.past_shifts, "past shift"))
            reasons.extend(self._pairing(s, p))
            if person.max_shifts is not None and seats + 1 == person.max_shifts:
                reasons.append(
                    f"would reach their maximum of {_plural(person.max_shifts, 'shift')}"
                )
            candidate = Candidate(person=person.id, score=round(score, 3), reasons=tuple(reasons))
            ranked.append((-score, p, candidate))
        ranked.sort(key=lambda item: (item[0], item[1]))
        result = [c for _, _, c in ranked]
        return result if limit is None else result[:limit]

    def _pairing(self, s: int, p: int) -> list[str]:
        """Return a reason about experience pairing within the seat's window."""
        index = self.problem.index
        held = [self.holder.get(t) for t in index.windows[index.window_of[s]] if t != s]
        mates = [m for m in held if m is not None and m != p]
        if index.experienced[p]:
            return ["experienced, on a primary seat"] if index.primary[s] else []
        if any(index.experienced[m] for m in mates):
            return ["newcomer, paired with an experienced partner"]
        return ["newcomer, no experienced partner in this shift yet"] if mates else ["newcomer"]


def rank_candidates(
    problem: Problem,
    slot_id: str,
    assignments: Mapping[str, str | None],
    *,
    limit: int | None = None,
) -> list[Candidate]:
    """Rank the people who could legally take slot_id given the other draft assignments."""
    return Ranker(problem, assignments).rank(slot_id, limit)


def candidates_for(
    problem: Problem, assignments: Mapping[str, str | None], limit: int = DEFAULT_LIMIT
) -> dict[str, list[Candidate]]:
    """Return the top candidates for every seat of a solution."""
    ranker = Ranker(problem, assignments)
    return {slot.id: ranker.rank(slot.id, limit) for slot in problem.slots}
