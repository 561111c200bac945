"""An independent judge of rota solutions, written from the format page, not from the engine.

It reads the raw rota-problem/1 dict with the standard library (and, for the maximum fill, its
own deliberately plain CP-SAT model), so a bug shared with the engine's rule code cannot hide.
"""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ortools.sat.python import cp_model

SCENARIOS = Path(__file__).resolve().parent.parent / "data" / "scenarios"


def scenario(name: str) -> dict[str, Any]:
    """Return a scenario problem dict from tests/data/scenarios."""
    return json.loads((SCENARIOS / f"{name}.json").read_text())


def scenario_names() -> list[str]:
    """Return the names of every stored scenario."""
    return sorted(p.stem for p in SCENARIOS.glob("*.json"))


def when(text: str) -> datetime:
    """Parse an ISO 8601 time with offset into an aware datetime."""
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None, text
    return moment


def _overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def can_take(person: dict[str, Any], slot: dict[str, Any]) -> bool:
    """Return whether the person has the role and is available for the whole slot."""
    span = (when(slot["start"]), when(slot["end"]))
    if slot["role"] not in person["roles"]:
        return False
    return not any(_overlap(span, (when(a), when(b))) for a, b in person.get("unavailable", []))


def clash(a: dict[str, Any], b: dict[str, Any], rest_hours: float) -> bool:
    """Return whether one person may not hold both slots (overlap or short rest)."""
    a0, a1, b0, b1 = when(a["start"]), when(a["end"]), when(b["start"]), when(b["end"])
    if a0 < b1 and b0 < a1:
        return True
    gap = b0 - a1 if a0 <= b0 else a0 - b1
    return gap < timedelta(hours=rest_hours)


def experienced(data: dict[str, Any], person: dict[str, Any]) -> bool:
    """Return whether the person counts as experienced."""
    return person["past_shifts"] >= data["rules"]["experienced_threshold"]


def windows(data: dict[str, Any]) -> dict[tuple[datetime, datetime], list[str]]:
    """Return slot ids grouped by identical (real) start and end."""
    groups: dict[tuple[datetime, datetime], list[str]] = {}
    for slot in data["slots"]:
        groups.setdefault((when(slot["start"]), when(slot["end"])), []).append(slot["id"])
    return groups


def violations(data: dict[str, Any], assignments: dict[str, str | None]) -> list[str]:
    """Return every hard rule the assignments break (empty when valid)."""
    slots = {s["id"]: s for s in data["slots"]}
    people = {p["id"]: p for p in data["people"]}
    rules = data["rules"]
    found = []
    if set(assignments) != set(slots):
        found.append("assignments do not name every slot exactly")
    held: dict[str, list[dict[str, Any]]] = {}
    for slot_id, person_id in assignments.items():
        if person_id is None or slot_id not in slots:
            continue
        if person_id not in people:
            found.append(f"{slot_id}: unknown person {person_id}")
            continue
        if not can_take(people[person_id], slots[slot_id]):
            found.append(f"{slot_id}: {person_id} lacks the role or is unavailable")
        held.setdefault(person_id, []).append(slots[slot_id])
    for person_id, seats in held.items():
        limit = people[person_id].get("max_shifts")
        if limit is not None and len(seats) > limit:
            found.append(f"{person_id}: {len(seats)} seats above max_shifts {limit}")
        for a, b in itertools.combinations(seats, 2):
            if clash(a, b, rules["min_rest_hours"]):
                found.append(f"{person_id}: {a['id']} and {b['id']} overlap or lack rest")
    for item in data.get("fixed", []):
        if assignments.get(item["slot"]) != item["person"]:
            found.append(f"{item['slot']}: fixed seat not kept")
    if rules["require_experienced_in_window"]:
        for members in windows(data).values():
            holders = [assignments.get(m) for m in members]
            if all(holders) and not any(experienced(data, people[h]) for h in holders if h):
                found.append(f"{members}: full window without an experienced person")
    return found


def _plain_model(data: dict[str, Any]) -> tuple[cp_model.CpModel, dict, dict] | None:
    """Return a deliberately plain model of the hard rules: pairwise conflicts, reified windows."""
    model = cp_model.CpModel()
    rules = data["rules"]
    slots = data["slots"]
    people = data["people"]
    x = {}
    for slot in slots:
        for person in people:
            if can_take(person, slot):
                x[slot["id"], person["id"]] = model.new_bool_var("")
    filled = {}
    for slot in slots:
        terms = [v for (s, _), v in x.items() if s == slot["id"]]
        filled[slot["id"]] = sum(terms)
        model.add(sum(terms) <= 1)
    for person in people:
        mine = [slot for slot in slots if (slot["id"], person["id"]) in x]
        for a, b in itertools.combinations(mine, 2):
            if clash(a, b, rules["min_rest_hours"]):
                model.add_bool_or([x[a["id"], person["id"]].Not(), x[b["id"], person["id"]].Not()])
        if person.get("max_shifts") is not None:
            model.add(sum(x[s["id"], person["id"]] for s in mine) <= person["max_shifts"])
    for item in data.get("fixed", []):
        key = (item["slot"], item["person"])
        if key not in x:
            return None
        model.add(x[key] == 1)
    if rules["require_experienced_in_window"]:
        by_id = {p["id"]: p for p in people}
        for members in windows(data).values():
            full = model.new_bool_var("")
            is_full = [model.new_bool_var("") for _ in members]
            for flag, m in zip(is_full, members, strict=True):
                model.add(filled[m] == 1).only_enforce_if(flag)
                model.add(filled[m] == 0).only_enforce_if(flag.Not())
            model.add_bool_and(is_full).only_enforce_if(full)
            model.add_bool_or([f.Not() for f in is_full] + [full])
            veterans = [
                v for (s, p), v in x.items() if s in members and experienced(data, by_id[p])
            ]
            model.add_bool_or(veterans or [model.new_constant(0)]).only_enforce_if(full)
    return model, x, filled


def _best(model: cp_model.CpModel) -> int | None:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 30
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return None
    assert status == cp_model.OPTIMAL, solver.status_name(status)
    return round(solver.objective_value)


def max_fill(
    data: dict[str, Any], *, keep_filled: tuple[str, ...] = (), force: str | None = None
) -> int | None:
    """Return the most seats any valid rota fills (None if the extra demands are impossible).

    keep_filled: seats that must stay filled (by anyone); force: one more seat that must be
    filled.
    """
    built = _plain_model(data)
    if built is None:
        return None
    model, x, filled = built
    for slot_id in keep_filled:
        model.add(filled[slot_id] == 1)
    if force is not None:
        model.add(filled[force] == 1)
    model.maximize(sum(x.values()))
    return _best(model)


def max_kept(data: dict[str, Any]) -> int | None:
    """Return the most seats of data["previous"] a maximally filled valid rota keeps."""
    built = _plain_model(data)
    if built is None:
        return None
    model, x, _ = built
    model.add(sum(x.values()) == max_fill(data))
    model.maximize(sum(x[k] for k in (data.get("previous") or {}).items() if k in x))
    return _best(model)


def loads(data: dict[str, Any], assignments: dict[str, str | None]) -> dict[str, float]:
    """Return each person's weighted load."""
    totals = {p["id"]: 0.0 for p in data["people"]}
    for slot in data["slots"]:
        holder = assignments.get(slot["id"])
        if holder is not None:
            totals[holder] += slot.get("weight", 1.0)
    return totals
