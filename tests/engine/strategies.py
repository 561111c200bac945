"""Hypothesis strategies for small random rota problems, and an independent objective."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from tests.engine.checker import can_take, experienced, violations, when, windows

START = datetime(2027, 3, 26, tzinfo=UTC)  # Two days before the UK clocks go forward.
# The same instant may be written with any offset; the engine must compare real time.
OFFSETS = [timedelta(0), timedelta(hours=1), timedelta(hours=-5), timedelta(hours=5, minutes=30)]


def _stamp(draw: st.DrawFn, hour: int) -> str:
    offset = draw(st.sampled_from(OFFSETS))
    return (START + timedelta(hours=hour)).astimezone(timezone(offset)).isoformat()


def _windows(draw: st.DrawFn, most: int) -> list[list[str]]:
    result = []
    for _ in range(draw(st.integers(0, most))):
        start = draw(st.integers(0, 100))
        length = draw(st.sampled_from([2, 6, 12, 24]))
        result.append([_stamp(draw, start), _stamp(draw, start + length)])
    return result


@st.composite
def problems(draw: st.DrawFn, max_slots: int = 20, max_people: int = 5) -> dict[str, Any]:
    """Draw a valid rota-problem/1 dict with random roles, windows, limits, fixed and history."""
    slots: list[dict[str, Any]] = []
    for w in range(draw(st.integers(1, max_slots))):
        if len(slots) >= max_slots:
            break
        start = draw(st.integers(0, 96))
        length = draw(st.sampled_from([4, 8, 12, 24]))
        weight = draw(st.sampled_from([1.0, 1.5, 2.0, 0.0]))
        roles = draw(st.sampled_from([["primary"], ["secondary"], ["primary", "secondary"]]))
        for role in roles[: max_slots - len(slots)]:
            slots.append(
                {
                    "id": f"w{w}-{role}",
                    "start": _stamp(draw, start),
                    "end": _stamp(draw, start + length),
                    "role": role,
                    "weight": weight,
                }
            )
    people = []
    for i in range(draw(st.integers(1, max_people))):
        person: dict[str, Any] = {
            "id": f"p{i}",
            "roles": draw(
                st.sampled_from([["primary"], ["secondary"], ["primary", "secondary"], []])
            ),
            "past_shifts": draw(st.sampled_from([0, 3, 12, 40])),
            "unavailable": _windows(draw, 2),
            "preferred": _windows(draw, 2),
            "avoid": _windows(draw, 1),
        }
        limit = draw(st.sampled_from([None, None, 0, 1, 2, 3]))
        if limit is not None:
            person["max_shifts"] = limit
        people.append(person)
    data: dict[str, Any] = {
        "format": "rota-problem/1",
        "name": "random",
        "timezone": "Europe/London",
        "rules": {
            "min_rest_hours": draw(st.sampled_from([0, 4, 12])),
            "experienced_threshold": 10,
            "require_experienced_in_window": draw(st.booleans()),
        },
        "slots": slots,
        "people": people,
        "fixed": [],
    }
    # Fixed seats are drawn among pairs the independent checker accepts, one at a time.
    tries = draw(st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)), max_size=3))
    assignments: dict[str, str | None] = {s["id"]: None for s in slots}
    for a, b in tries:
        slot, person = slots[a % len(slots)], people[b % len(people)]
        if assignments[slot["id"]] is not None:
            continue
        assignments[slot["id"]] = person["id"]
        if violations(data, assignments):
            assignments[slot["id"]] = None
        else:
            data["fixed"].append({"slot": slot["id"], "person": person["id"]})
    if draw(st.booleans()):
        data["previous"] = {
            s["id"]: draw(st.sampled_from([None, *[p["id"] for p in people]])) for s in slots
        }
    return data


def coverage(windows_: list[list[str]], slot: dict[str, Any]) -> float:
    """Return the fraction of the slot covered by the union of windows."""
    start, end = when(slot["start"]), when(slot["end"])
    spans = sorted((max(when(a), start), min(when(b), end)) for a, b in windows_)
    covered, cursor = timedelta(0), start
    for lo, hi in spans:
        lo = max(lo, cursor)
        if hi > lo:
            covered += hi - lo
            cursor = hi
    return covered / (end - start)


def objective(data: dict[str, Any], assignments: dict[str, str | None]) -> tuple[float, ...]:
    """Return the lexicographic objective of the format page (larger is better)."""
    people = {p["id"]: p for p in data["people"]}
    previous = data.get("previous") or {}
    filled = sum(1 for h in assignments.values() if h is not None)
    kept = sum(1 for s, p in previous.items() if p is not None and assignments[s] == p)
    load = {p: 0.0 for p in people}
    wishes = 0
    primaries = 0
    for slot in data["slots"]:
        holder = assignments[slot["id"]]
        if holder is None:
            continue
        load[holder] += slot["weight"]
        person = people[holder]
        wishes += round(100 * coverage(person["preferred"], slot)) - round(
            100 * coverage(person["avoid"], slot)
        )
        primaries += slot["role"] == "primary" and experienced(data, person)
    lonely = 0
    for members in windows(data).values():
        if len(members) < 2:
            continue
        holders = [assignments[m] for m in members]
        for h in holders:
            if h is not None and not experienced(data, people[h]):
                others = [o for o in holders if o is not None and o != h]
                lonely += not any(experienced(data, people[o]) for o in others)
    top = max(load.values(), default=0.0)
    squares = sum(v * v for v in load.values())
    return (filled, kept, -top, -squares, wishes, primaries - lonely)


def every_rota(data: dict[str, Any]) -> Iterator[dict[str, str | None]]:
    """Yield every assignment that obeys the hard rules (for tiny problems only)."""
    choices = [
        [None, *[p["id"] for p in data["people"] if can_take(p, slot)]] for slot in data["slots"]
    ]
    ids = [s["id"] for s in data["slots"]]
    for combo in itertools.product(*choices):
        assignments = dict(zip(ids, combo, strict=True))
        if not violations(data, assignments):
            yield assignments


def rota_count(data: dict[str, Any]) -> int:
    """Return how many raw assignments every_rota would examine."""
    total = 1
    for slot in data["slots"]:
        total *= 1 + sum(1 for p in data["people"] if can_take(p, slot))
    return total
