"""Wish swaps: a cheap start for the wishes stage that changes no earlier stage's value."""

from __future__ import annotations

from datetime import date

from bench.engine import make_problem, resolve_problem
from scheduling.engine import parse_problem
from scheduling.engine.greedy import greedy_assign
from scheduling.engine.model import RotaModel
from scheduling.engine.search import swap_wishes
from tests.engine.checker import loads, violations


def _swapped(data: dict) -> tuple[dict, dict, int, int]:
    problem = parse_problem(data)
    rota = RotaModel(problem)
    wishes = rota.wishes()
    assert wishes is not None
    start = greedy_assign(problem, seed=problem.previous)
    holders = [
        None if start[s.id] is None else problem.person_by_id[start[s.id]].index
        for s in problem.slots
    ]
    after = swap_wishes(problem, holders, rota.wish_gain)
    named = {
        s.id: None if after[s.index] is None else problem.people[after[s.index]].id
        for s in problem.slots
    }
    return start, named, wishes.value_of(holders), wishes.value_of(after)


def test_swaps_raise_wishes_and_keep_every_load_and_rule() -> None:
    data = make_problem("quarter", 40, date(2027, 1, 4), 91, 14)
    start, after, before_value, after_value = _swapped(data)
    assert after_value > before_value
    assert violations(data, after) == []
    assert loads(data, after) == loads(data, start)
    assert sum(1 for h in after.values() if h) == sum(1 for h in start.values() if h)


def test_swaps_leave_fixed_and_previous_seats_alone() -> None:
    data = resolve_problem(make_problem("month", 10, date(2027, 3, 1), 31, 11))
    data["fixed"] = [
        {"slot": s["id"], "person": data["previous"][s["id"]]}
        for s in data["slots"][:4]
        if data["previous"][s["id"]]
    ]
    start, after, _, _ = _swapped(data)
    assert violations(data, after) == []
    for slot_id, holder in start.items():
        if holder is not None and data["previous"].get(slot_id) == holder:
            assert after[slot_id] == holder
