"""Random problems: the engine never breaks a hard rule and is lexicographically optimal."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings

from bench.engine import make_problem
from scheduling.engine import greedy_solve, model, parse_problem, solve
from tests.engine.checker import max_fill, violations
from tests.engine.strategies import every_rota, objective, problems, rota_count

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(problems(max_slots=20, max_people=5))
def test_hard_rules_hold_and_fill_is_maximal(data: dict[str, Any]) -> None:
    problem = parse_problem(data)
    solution = solve(problem, time_limit=10)
    assert violations(data, solution.assignments) == []
    assert solution.filled == max_fill(data)
    assert set(solution.load) == {p["id"] for p in data["people"]}
    for slot_id, ranked in solution.candidates.items():
        for candidate in ranked:
            trial = dict(solution.assignments, **{slot_id: candidate.person})
            broken = [v for v in violations(data, trial) if "fixed seat" not in v]
            assert broken == [], (slot_id, candidate)
    baseline = greedy_solve(problem)
    assert violations(data, baseline.assignments) == []


@SETTINGS
@given(problems(max_slots=6, max_people=3))
def test_tiny_problems_match_brute_force(data: dict[str, Any]) -> None:
    assume(rota_count(data) <= 5000)
    best = max(objective(data, rota) for rota in every_rota(data))
    solution = solve(parse_problem(data), time_limit=10, candidates=False)
    assert solution.status == "optimal"
    got = objective(data, solution.assignments)
    assert got[:2] == best[:2]  # Filled seats, then seats kept from the previous rota.
    assert got[2:4] == pytest.approx(best[2:4])  # Largest load, then squares.
    assert got[4:] == best[4:]  # Wishes, then experience.


@settings(SETTINGS, max_examples=30)
@given(problems(max_slots=8, max_people=4))
def test_without_load_profiles_the_fallback_is_still_optimal(data: dict[str, Any]) -> None:
    # Huge problems skip the per-person load profiles; the chord model must agree.
    assume(rota_count(data) <= 20000)
    best = max(objective(data, rota) for rota in every_rota(data))
    with mock.patch.object(model, "_MAX_PROFILES", 0):
        solution = solve(parse_problem(data), time_limit=10, candidates=False)
    assert solution.status == "optimal"
    got = objective(data, solution.assignments)
    assert got[:2] == best[:2]
    assert got[2:4] == pytest.approx(best[2:4])
    assert got[4:] == best[4:]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fallback_and_profiles_agree_on_a_fortnight(seed: int) -> None:
    problem = parse_problem(make_problem("fortnight", 7, date(2027, 3, 15), 14, seed))
    with_profiles = solve(problem, time_limit=20, candidates=False)
    with mock.patch.object(model, "_MAX_PROFILES", 0):
        without = solve(problem, time_limit=20, candidates=False)
    assert with_profiles.status == without.status == "optimal"
    assert [s.value for s in with_profiles.stages] == [s.value for s in without.stages]
