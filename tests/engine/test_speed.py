"""The engine's searches are cheap and repeatable: deterministic work, not wall time, is checked."""

from __future__ import annotations

from scheduling.engine import Solution, parse_problem, solve
from tests.engine.checker import scenario

# CP-SAT's deterministic time for the whole solve. With CP-SAT's default two-worker portfolio
# the demo month took 3.8-4.3 units and team-month-1 1.1-1.4; one LP-driven worker takes
# 0.14 and 0.32 (docs/benchmarks.md has the wall times).
MOST_WORK = 1.0


def _work(solution: Solution) -> float:
    return sum(stage.work for stage in solution.stages)


def test_a_team_month_is_proven_optimal_with_little_work() -> None:
    for name in ("demo-payments-1", "team-month-1", "follow-the-sun-1"):
        solution = solve(parse_problem(scenario(name)), time_limit=60, candidates=False)
        assert solution.status == "optimal", name
        assert 0 < _work(solution) < MOST_WORK, (name, _work(solution))


def test_the_same_problem_takes_the_same_work_and_gives_the_same_rota() -> None:
    problem = parse_problem(scenario("team-month-1"))
    first = solve(problem, time_limit=60, candidates=False)
    second = solve(problem, time_limit=60, candidates=False)
    assert second.assignments == first.assignments
    assert [s.work for s in second.stages] == [s.work for s in first.stages]
