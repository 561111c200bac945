"""Ranking people for one seat: legal candidates only, fewer shifts first, with reasons."""

from __future__ import annotations

from typing import Any

import pytest

from scheduling.engine import ProblemError, parse_problem, rank_candidates, solve
from tests.engine.checker import scenario, violations


def _day(n: int, hour: int = 9) -> str:
    return f"2027-03-{n:02d}T{hour:02d}:00:00+00:00"


def team(people: list[dict[str, Any]], days: int = 8) -> dict[str, Any]:
    """Return a problem of daily primary seats for the given people."""
    return {
        "format": "rota-problem/1",
        "timezone": "Europe/London",
        "rules": {
            "min_rest_hours": 12,
            "experienced_threshold": 10,
            "require_experienced_in_window": False,
        },
        "slots": [
            {"id": f"d{n}", "start": _day(n), "end": _day(n + 1), "role": "primary"}
            for n in range(1, days + 1)
        ],
        "people": people,
    }


def person(pid: str, **extra: Any) -> dict[str, Any]:
    """Return a primary-capable person with 20 past shifts."""
    return {"id": pid, "roles": ["primary"], "past_shifts": 20, **extra}


def test_score_falls_as_load_rises() -> None:
    data = team([person("busy"), person("some"), person("free")])
    problem = parse_problem(data)
    draft: dict[str, str | None] = {
        "d1": "busy",
        "d3": "busy",
        "d5": "busy",
        "d2": "some",
        "d4": None,
        "d6": None,
        "d7": None,
        "d8": None,
    }
    ranked = rank_candidates(problem, "d7", draft)
    assert [c.person for c in ranked] == ["free", "some", "busy"]
    scores = [c.score for c in ranked]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == 3
    assert all(0.0 <= s <= 1.0 for s in scores)
    busy = ranked[-1]
    assert "available" in busy.reasons
    assert "3 shifts so far this period (team mean 1.3)" in busy.reasons
    assert "20 past shifts" in busy.reasons


def test_illegal_people_are_never_listed() -> None:
    data = team(
        [
            person("rested"),
            person("yesterday"),  # Held the day before: no 12h rest.
            person("away", unavailable=[[_day(4, 0), _day(5, 0)]]),
            {"id": "secondary", "roles": ["secondary"], "past_shifts": 50},
            person("capped", max_shifts=1),
        ]
    )
    problem = parse_problem(data)
    draft: dict[str, str | None] = {f"d{n}": None for n in range(1, 9)}
    draft.update(d3="yesterday", d1="capped")
    ranked = rank_candidates(problem, "d4", draft)
    assert [c.person for c in ranked] == ["rested"]


def test_wishes_and_experience_move_the_score_and_explain_it() -> None:
    data = team(
        [
            person("keen", preferred=[[_day(4, 0), _day(5, 0)]]),
            person("plain"),
            person("reluctant", avoid=[[_day(4, 0), _day(5, 0)]]),
            {"id": "new", "roles": ["primary"], "past_shifts": 0},
        ]
    )
    ranked = rank_candidates(parse_problem(data), "d4", {})
    order = [c.person for c in ranked]
    assert order.index("keen") < order.index("plain") < order.index("reluctant")
    assert order.index("plain") < order.index("new")
    reasons = {c.person: c.reasons for c in ranked}
    assert "prefers this day" in reasons["keen"]
    assert "would rather avoid this day" in reasons["reluctant"]
    assert "0 past shifts" in reasons["new"]
    assert "0 shifts so far this period (team mean 0.0)" in reasons["plain"]


def test_current_holder_is_ranked_on_their_other_seats() -> None:
    data = team([person("a"), person("b")])
    problem = parse_problem(data)
    ranked = rank_candidates(problem, "d1", {"d1": "a", "d3": "b"})
    assert {c.person for c in ranked} == {"a", "b"}
    holder = next(c for c in ranked if c.person == "a")
    assert holder.reasons[0] == "holds this seat in this rota"
    assert "0 shifts so far this period (team mean 0.5)" in holder.reasons


def test_unknown_slot_or_person_is_a_problem_error() -> None:
    problem = parse_problem(team([person("a")]))
    with pytest.raises(ProblemError) as caught:
        rank_candidates(problem, "d99", {})
    assert caught.value.field == "slot_id"
    with pytest.raises(ProblemError):
        rank_candidates(problem, "d1", {"d2": "ghost"})


def test_solution_candidates_are_legal_and_capped_at_ten() -> None:
    data = scenario("follow-the-sun-1")
    solution = solve(parse_problem(data), time_limit=20)
    assert solution.candidates
    for slot_id, ranked in solution.candidates.items():
        assert len(ranked) <= 10
        assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)
        for candidate in ranked:
            assert candidate.reasons
            trial = dict(solution.assignments, **{slot_id: candidate.person})
            assert violations(data, trial) == [], (slot_id, candidate.person)
