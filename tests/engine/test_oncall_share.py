"""The "at most N% of time on call" rule: kept by the solver, the greedy baseline and candidates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from scheduling.engine import (
    ProblemError,
    greedy_solve,
    parse_problem,
    rank_candidates,
    solve,
    violations,
)


def week(share: float | None) -> dict[str, Any]:
    """Seven daily primary seats across the October change; two people, Ann experienced."""
    start = datetime(2027, 10, 28, 9, tzinfo=UTC)
    slots = []
    for day in range(7):
        a = start + timedelta(days=day)
        slots.append(
            {
                "id": f"d{day}",
                "start": a.isoformat(),
                "end": (a + timedelta(days=1)).isoformat(),
                "role": "primary",
            }
        )
    rules: dict[str, Any] = {
        "min_rest_hours": 0,
        "experienced_threshold": 0,
        "require_experienced_in_window": False,
    }
    if share is not None:
        rules["max_oncall_share"] = share
    return {
        "format": "rota-problem/1",
        "timezone": "Europe/London",
        "rules": rules,
        "slots": slots,
        "people": [
            {
                "id": "ann",
                "roles": ["primary"],
                "past_shifts": 40,
                "preferred": [[slots[0]["start"], slots[-1]["end"]]],
            },
            {
                "id": "bob",
                "roles": ["primary"],
                "past_shifts": 40,
                "unavailable": [[slots[0]["start"], slots[-1]["end"]]],
            },
        ],
    }


def held(solution, person: str) -> int:
    return sum(1 for p in solution.assignments.values() if p == person)


def test_without_the_rule_one_person_can_hold_the_whole_week():
    problem = parse_problem(week(None))
    assert held(solve(problem, time_limit=5, candidates=False), "ann") == 7


@pytest.mark.parametrize("solver", ["cp-sat", "greedy"])
def test_the_rule_caps_a_persons_share_and_leaves_the_rest_empty(solver):
    # 30% of 7 days is 2.1 days: two 24 h seats fit, a third does not.
    problem = parse_problem(week(0.3))
    if solver == "greedy":
        solution = greedy_solve(problem, candidates=False)
    else:
        solution = solve(problem, time_limit=5, candidates=False)
    assert held(solution, "ann") == 2
    assert violations(problem, solution.assignments) == []
    too_many = dict(solution.assignments)
    too_many.update({"d0": "ann", "d1": "ann", "d2": "ann"})
    assert any("max_oncall_share" in line for line in violations(problem, too_many))


def test_candidates_leave_out_a_person_at_their_share():
    problem = parse_problem(week(0.3))
    draft = {f"d{i}": None for i in range(7)} | {"d0": "ann", "d1": "ann"}
    assert [c.person for c in rank_candidates(problem, "d5", draft)] == []
    draft["d1"] = None
    assert [c.person for c in rank_candidates(problem, "d5", draft)] == ["ann"]


@pytest.mark.parametrize("value", [0, 1.5, -0.2, "a quarter"])
def test_a_share_out_of_range_names_the_field(value):
    data = week(None)
    data["rules"]["max_oncall_share"] = value
    with pytest.raises(ProblemError) as error:
        parse_problem(data)
    assert error.value.field == "rules.max_oncall_share"


def test_fixed_seats_beyond_the_share_are_refused():
    data = week(0.3)
    data["fixed"] = [{"slot": f"d{i}", "person": "ann"} for i in range(3)]
    with pytest.raises(ProblemError) as error:
        parse_problem(data)
    assert error.value.field.startswith("fixed[")
