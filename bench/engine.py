"""Benchmark the rota engine against the greedy baseline on seeded, realistic problems.

Run with ``python -m bench.engine`` (or ``python bench/engine.py``) from the repository root.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduling.engine import Solution, greedy_solve, parse_problem, solve  # noqa: E402

ZONE = ZoneInfo("Europe/London")
PAST_SHIFTS = (0, 0, 2, 5, 9, 12, 14, 20, 31, 45, 60)


def _at(day: date, hour: int = 0) -> str:
    """Return local wall time on day as ISO 8601 with its real UTC offset."""
    return datetime.combine(day, time(hour), ZONE).isoformat()


def _day_window(day: date, days: int = 1) -> list[str]:
    """Return [local midnight, local midnight days later] as ISO strings."""
    return [_at(day), _at(day + timedelta(days=days))]


def make_problem(name: str, people: int, first: date, days: int, seed: int) -> dict[str, Any]:
    """Return a rota-problem/1 dict: daily 24h primary + secondary shifts in Europe/London."""
    rng = random.Random(seed)
    slots = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        weight = 1.5 if day.weekday() >= 5 else 1.0
        for role in ("primary", "secondary"):
            slots.append(
                {
                    "id": f"{day.isoformat()}-{role}",
                    "start": _at(day, 9),
                    "end": _at(day + timedelta(days=1), 9),
                    "role": role,
                    "weight": weight,
                }
            )
    seat_share = 2 * days / people
    team = []
    for i in range(people):
        primary = rng.random() < 0.6
        past = rng.choice(PAST_SHIFTS[4:] if primary else PAST_SHIFTS)
        unavailable, preferred, avoid = [], [], []
        if rng.random() < 0.5:
            length = rng.randint(3, 7)
            unavailable.append(_day_window(first + timedelta(rng.randrange(days)), length))
        for offset in range(days):
            day = first + timedelta(days=offset)
            roll = rng.random()
            if roll < 0.10:
                unavailable.append(_day_window(day))
            elif roll < 0.14:
                preferred.append(_day_window(day))
            elif roll < 0.18:
                avoid.append(_day_window(day))
        person: dict[str, Any] = {
            "id": f"p{i + 1:03d}",
            "roles": ["primary", "secondary"] if primary else ["secondary"],
            "past_shifts": past,
            "unavailable": unavailable,
            "preferred": preferred,
            "avoid": avoid,
        }
        if rng.random() < 0.2:
            person["max_shifts"] = max(1, round(seat_share * rng.uniform(0.8, 1.3)))
        team.append(person)
    return {
        "format": "rota-problem/1",
        "name": name,
        "timezone": "Europe/London",
        "rules": {
            "min_rest_hours": 12,
            "experienced_threshold": 10,
            "require_experienced_in_window": True,
        },
        "slots": slots,
        "people": team,
        "fixed": [],
    }


CASES = (
    ("month-10", 10, date(2027, 3, 1), 31, 11),
    ("month-30", 30, date(2027, 3, 1), 31, 12),
    ("month-60", 60, date(2027, 3, 1), 31, 13),
    ("quarter-40", 40, date(2027, 1, 4), 91, 14),
)


def _figures(solution: Solution) -> tuple[float, float, float]:
    """Return largest load, spread and sum of squared loads."""
    loads = list(solution.load.values()) or [0.0]
    return max(loads), max(loads) - min(loads), sum(v * v for v in loads)


def main(argv: Sequence[str] | None = None) -> int:
    """Solve every case and print one table row per case for engine and greedy."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="run only the case with this name")
    parser.add_argument("--stages", action="store_true", help="print each stage's timing")
    args = parser.parse_args(argv)
    header = (
        f"{'case':<11} {'solver':<7} {'slots':>5} {'filled':>6} {'seconds':>8} {'status':<9}"
        f" {'max':>6} {'spread':>6} {'sum sq':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, people, first, days, seed in CASES:
        if args.only and args.only != name:
            continue
        problem = parse_problem(make_problem(name, people, first, days, seed))
        engine = solve(problem, time_limit=args.time_limit, workers=args.workers)
        greedy = greedy_solve(problem)
        for label, solution in (("engine", engine), ("greedy", greedy)):
            top, spread, squares = _figures(solution)
            print(
                f"{name:<11} {label:<7} {len(problem.slots):>5} {solution.filled:>6}"
                f" {solution.seconds:>8.2f} {solution.status:<9} {top:>6.2f} {spread:>6.2f}"
                f" {squares:>8.2f}"
            )
        if args.stages:
            for stage in engine.stages:
                print(
                    f"    {stage.name:<11} {stage.status:<9} {stage.value:>10g}"
                    f" {stage.seconds:>7.2f}s"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
