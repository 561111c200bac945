"""The stored scenarios: valid, maximally filled rotas, fairer than the greedy baseline."""

from __future__ import annotations

from functools import cache

import pytest

from scheduling.engine import Solution, greedy_solve, parse_problem, solution_to_dict, solve
from tests.engine.checker import loads, max_fill, scenario, scenario_names, violations


@cache
def solved(name: str) -> Solution:
    """Solve a scenario once per test session."""
    return solve(parse_problem(scenario(name)), time_limit=20)


@pytest.mark.parametrize("name", scenario_names())
def test_scenario_solves_validly_and_fills_every_seat_it_can(name: str) -> None:
    data = scenario(name)
    solution = solved(name)
    assert solution.status in {"optimal", "feasible"}
    assert violations(data, solution.assignments) == []
    assert solution.filled == max_fill(data)
    assert solution.load == pytest.approx(loads(data, solution.assignments), abs=0.005)
    document = solution_to_dict(solution)
    assert document["format"] == "rota-solution/1"
    assert set(document["assignments"]) == {s["id"] for s in data["slots"]}
    assert all(len(ranked) <= 10 for ranked in document["candidates"].values())


def test_scarce_leaves_seats_empty_that_truly_cannot_be_filled() -> None:
    data = scenario("scarce-1")
    solution = solved("scarce-1")
    empty = [s for s, holder in solution.assignments.items() if holder is None]
    filled = tuple(s for s, holder in solution.assignments.items() if holder is not None)
    assert empty
    for slot_id in empty:
        # Filling this seat is impossible without emptying one the engine filled.
        assert max_fill(data, keep_filled=filled, force=slot_id) is None


def test_every_full_scenario_is_entirely_filled() -> None:
    for name in ("small-weekly-1", "team-month-1", "follow-the-sun-1"):
        data = scenario(name)
        if max_fill(data) == len(data["slots"]):
            assert None not in solved(name).assignments.values(), name


def test_engine_is_fairer_than_greedy() -> None:
    strictly = 0
    for name in scenario_names():
        data = scenario(name)
        engine = solved(name)
        greedy = greedy_solve(parse_problem(data))
        assert violations(data, greedy.assignments) == []
        assert engine.filled >= greedy.filled, name
        top, greedy_top = max(engine.load.values()), max(greedy.load.values())
        squares = sum(v * v for v in engine.load.values())
        greedy_squares = sum(v * v for v in greedy.load.values())
        if engine.filled > greedy.filled:
            # More seats filled outranks fairness, so loads may rise; still count it better.
            strictly += 1
            continue
        assert top <= greedy_top, name
        if (top, squares) < (greedy_top, greedy_squares):
            strictly += 1
    assert strictly > len(scenario_names()) / 2


def test_rest_is_measured_in_real_time_across_dst() -> None:
    # One person could take both seats only if the 23-hour DST day were 24 hours long.
    data = {
        "format": "rota-problem/1",
        "timezone": "Europe/London",
        "rules": {
            "min_rest_hours": 12,
            "experienced_threshold": 10,
            "require_experienced_in_window": False,
        },
        "slots": [
            # 09:00 GMT to 09:00 BST, written once in each offset.
            {
                "id": "sat",
                "start": "2027-03-27T09:00:00+00:00",
                "end": "2027-03-28T08:00:00+00:00",
                "role": "primary",
            },
            # 20:30 BST is 19:30 UTC: 11.5 real hours after the end, though the wall-clock
            # digits alone (08:00 to 20:30) suggest 12.5.
            {
                "id": "sun-late",
                "start": "2027-03-28T20:30:00+01:00",
                "end": "2027-03-29T09:00:00+01:00",
                "role": "primary",
            },
        ],
        "people": [{"id": "solo", "roles": ["primary"], "past_shifts": 20}],
    }
    solution = solve(parse_problem(data), time_limit=5)
    assert solution.filled == 1
    assert violations(data, solution.assignments) == []
    data["slots"][1]["start"] = "2027-03-28T21:00:00+01:00"  # Exactly 12 real hours.
    solution = solve(parse_problem(data), time_limit=5)
    assert solution.filled == 2


def test_team_month_dst_slot_is_held_and_weighted_once() -> None:
    solution = solved("team-month-1")
    holder = solution.assignments["2027-03-27-primary"]
    assert holder is not None
    following = solution.assignments["2027-03-28-primary"]
    # The 23-hour slot ends exactly when the next starts: with 12h rest nobody holds both.
    assert following != holder
    # A slot's weight counts once, however long its real duration.
    others = [
        s for s, h in solution.assignments.items() if h == holder and s != "2027-03-27-primary"
    ]
    weights = {s["id"]: s["weight"] for s in scenario("team-month-1")["slots"]}
    assert solution.load[holder] == pytest.approx(1.5 + sum(weights[s] for s in others))
