"""The hard rules as plain predicates, and a precomputed index shared by every solver."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce

from .problem import Interval, Person, Problem, ProblemError, Slot

PRIMARY_ROLE = "primary"
# Weights are floats; the CP-SAT model needs integers, so loads are counted in hundredths.
WEIGHT_SCALE = 100


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Return whether two half-open intervals share a moment."""
    return a_start < b_end and b_start < a_end


def any_overlap(windows: Iterable[Interval], start: int, end: int) -> bool:
    """Return whether any window overlaps [start, end)."""
    return any(overlaps(w_start, w_end, start, end) for w_start, w_end in windows)


def coverage(windows: Iterable[Interval], start: int, end: int) -> float:
    """Return the fraction of [start, end) covered by the union of windows."""
    covered = 0
    cursor = start
    for w_start, w_end in sorted(windows):
        lo, hi = max(w_start, cursor), min(w_end, end)
        if hi > lo:
            covered += hi - lo
            cursor = hi
    return covered / (end - start)


def can_hold(person: Person, slot: Slot) -> bool:
    """Return whether the person has the seat's role and is not unavailable during it."""
    return slot.role in person.roles and not any_overlap(
        person.unavailable, slot.start_ts, slot.end_ts
    )


def in_conflict(a: Slot, b: Slot, rest_seconds: int) -> bool:
    """Return whether one person may not hold both seats (overlap or too little rest)."""
    # Stretching each seat by the rest turns "overlap or short rest" into a plain overlap.
    return a.start_ts < b.end_ts + rest_seconds and b.start_ts < a.end_ts + rest_seconds


def describe_time(ts: int) -> str:
    """Return a UTC timestamp as compact ISO 8601."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%MZ")


@dataclass(frozen=True)
class Index:
    """Derived, solver-ready facts about a problem, computed once."""

    rest: int
    unit: int
    units: tuple[int, ...]
    eligible: tuple[tuple[int, ...], ...]
    eligible_people: tuple[tuple[int, ...], ...]
    windows: tuple[tuple[int, ...], ...]
    window_of: tuple[int, ...]
    experienced: tuple[bool, ...]
    primary: tuple[bool, ...]
    order: tuple[int, ...]

    def conflict_cliques(self, problem: Problem, slots: Iterable[int]) -> list[list[int]]:
        """Return the maximal sets of mutually conflicting seats among slots."""
        # Seats stretched by the rest form an interval graph: its maximal cliques are the
        # sets of stretched seats alive at some start, found by one sweep.
        items = sorted(slots, key=lambda i: problem.slots[i].start_ts)
        cliques: list[list[int]] = []
        alive: list[tuple[int, int]] = []
        last: list[int] | None = None
        k = 0
        while k < len(items):
            start = problem.slots[items[k]].start_ts
            ended = False
            while alive and alive[0][0] <= start:
                heapq.heappop(alive)
                ended = True
            if ended and last is not None and len(last) > 1:
                cliques.append(last)
            while k < len(items) and problem.slots[items[k]].start_ts == start:
                slot = problem.slots[items[k]]
                heapq.heappush(alive, (slot.end_ts + self.rest, items[k]))
                k += 1
            last = [i for _, i in alive]
        if last is not None and len(last) > 1:
            cliques.append(last)
        return cliques


def build_index(problem: Problem) -> Index:
    """Precompute eligibility, windows and integer weights for a problem."""
    scaled = [round(s.weight * WEIGHT_SCALE) for s in problem.slots]
    unit = reduce(math.gcd, scaled, 0) or 1
    eligible = tuple(
        tuple(s.index for s in problem.slots if can_hold(p, s)) for p in problem.people
    )
    eligible_people: list[list[int]] = [[] for _ in problem.slots]
    for p, slots in enumerate(eligible):
        for s in slots:
            eligible_people[s].append(p)
    by_window: dict[Interval, list[int]] = {}
    for slot in problem.slots:
        by_window.setdefault(slot.window, []).append(slot.index)
    windows = tuple(tuple(v) for _, v in sorted(by_window.items()))
    window_of = [0] * len(problem.slots)
    for w, members in enumerate(windows):
        for s in members:
            window_of[s] = w
    return Index(
        rest=problem.rules.min_rest_seconds,
        unit=unit,
        units=tuple(v // unit for v in scaled),
        eligible=eligible,
        eligible_people=tuple(tuple(v) for v in eligible_people),
        windows=windows,
        window_of=tuple(window_of),
        experienced=tuple(problem.is_experienced(p) for p in problem.people),
        primary=tuple(s.role == PRIMARY_ROLE for s in problem.slots),
        order=tuple(
            s.index for s in sorted(problem.slots, key=lambda s: (s.start_ts, s.end_ts, s.index))
        ),
    )


def _fixed_error(i: int, message: str) -> ProblemError:
    """Return a ProblemError about fixed[i]."""
    return ProblemError(f"fixed[{i}]", message)


def check_fixed(problem: Problem) -> None:
    """Raise ProblemError naming fixed[i] when the fixed seats themselves break a hard rule."""
    rest = problem.rules.min_rest_seconds
    held: dict[str, list[tuple[int, Slot]]] = {}
    window_fill: dict[Interval, list[tuple[int, Person]]] = {}
    window_size: dict[Interval, int] = {}
    for s in problem.slots:
        window_size[s.window] = window_size.get(s.window, 0) + 1
    for i, (slot_id, person_id) in enumerate(problem.fixed.items()):
        slot = problem.slot_by_id[slot_id]
        person = problem.person_by_id[person_id]
        if slot.role not in person.roles:
            raise _fixed_error(
                i, f"person {person_id!r} does not hold role {slot.role!r} of slot {slot_id!r}"
            )
        if any_overlap(person.unavailable, slot.start_ts, slot.end_ts):
            raise _fixed_error(i, f"person {person_id!r} is unavailable during slot {slot_id!r}")
        for j, other in held.get(person_id, []):
            if in_conflict(slot, other, rest):
                raise _fixed_error(
                    i,
                    f"slot {slot_id!r} overlaps or leaves less than "
                    f"{problem.rules.min_rest_hours:g}h rest beside slot {other.id!r} "
                    f"(fixed[{j}]) for person {person_id!r}",
                )
        held.setdefault(person_id, []).append((i, slot))
        if person.max_shifts is not None and len(held[person_id]) > person.max_shifts:
            raise _fixed_error(
                i, f"person {person_id!r} has more fixed seats than max_shifts={person.max_shifts}"
            )
        if not problem.within_oncall_share(s for _, s in held[person_id]):
            raise _fixed_error(
                i, f"person {person_id!r} has more fixed time on call than max_oncall_share allows"
            )
        members = window_fill.setdefault(slot.window, [])
        members.append((i, person))
        if (
            problem.rules.require_experienced_in_window
            and len(members) == window_size[slot.window]
            and not any(problem.is_experienced(p) for _, p in members)
        ):
            raise _fixed_error(
                i,
                f"window {describe_time(slot.start_ts)}-{describe_time(slot.end_ts)} is fully "
                "fixed with no experienced person",
            )


def violations(problem: Problem, assignments: Mapping[str, str | None]) -> list[str]:
    """Return a readable line for every hard rule the assignments break."""
    problems: list[str] = []
    rest = problem.rules.min_rest_seconds
    held: dict[str, list[Slot]] = {}
    for slot_id, person_id in assignments.items():
        slot = problem.slot_by_id.get(slot_id)
        if slot is None:
            problems.append(f"{slot_id}: unknown slot")
            continue
        if person_id is None:
            continue
        person = problem.person_by_id.get(person_id)
        if person is None:
            problems.append(f"{slot_id}: unknown person {person_id!r}")
            continue
        if slot.role not in person.roles:
            problems.append(f"{slot_id}: {person_id} does not hold role {slot.role!r}")
        if any_overlap(person.unavailable, slot.start_ts, slot.end_ts):
            problems.append(f"{slot_id}: {person_id} is unavailable")
        held.setdefault(person_id, []).append(slot)
    for slot_id, person_id in problem.fixed.items():
        if assignments.get(slot_id) != person_id:
            problems.append(
                f"{slot_id}: fixed to {person_id} but held by {assignments.get(slot_id)}"
            )
    for person_id, slots in held.items():
        person = problem.person_by_id[person_id]
        if person.max_shifts is not None and len(slots) > person.max_shifts:
            problems.append(f"{person_id}: {len(slots)} seats, more than max_shifts")
        if not problem.within_oncall_share(slots):
            problems.append(f"{person_id}: on call for more than max_oncall_share of the time")
        slots.sort(key=lambda s: s.start_ts)
        for a, b in zip(slots, slots[1:], strict=False):
            if in_conflict(a, b, rest):
                problems.append(f"{person_id}: {a.id} and {b.id} overlap or leave too little rest")
    if problem.rules.require_experienced_in_window:
        index = problem.index
        for members in index.windows:
            holders = [assignments.get(problem.slots[s].id) for s in members]
            if all(holders) and not any(
                problem.is_experienced(problem.person_by_id[h])
                for h in holders
                if h in problem.person_by_id
            ):
                first = problem.slots[members[0]]
                problems.append(f"{first.id}: window filled with no experienced person")
    return problems
