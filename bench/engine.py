"""Benchmark the rota engine against the greedy baseline on seeded, realistic problems.

Run with ``python -m bench.engine`` (or ``python bench/engine.py``) from the repository root.
Every case is solved ``--repeat`` times; the table gives the median and slowest wall time, the
median CPU time of the whole process (all solver threads) and the objective of each stage, so
two versions of the engine can be compared for speed and quality on the same problems.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import statistics
import sys
import time as clock
from collections.abc import Callable, Sequence
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
SCENARIOS = Path(__file__).resolve().parent.parent / "tests" / "data" / "scenarios"


def resolve_problem(data: dict[str, Any]) -> dict[str, Any]:
    """Return data re-solved after publishing: the greedy rota as previous, one person away.

    The person holding the middle primary seat becomes unavailable for that seat's week, as a
    manager re-running a published month would see; the greedy rota makes the case independent
    of the engine version being measured.
    """
    again = copy.deepcopy(data)
    previous = greedy_solve(parse_problem(data), candidates=False).assignments
    primaries = [s for s in data["slots"] if s["role"] == "primary" and previous[s["id"]]]
    middle = primaries[len(primaries) // 2]
    holder = next(p for p in again["people"] if p["id"] == previous[middle["id"]])
    week = [s for s in data["slots"] if previous[s["id"]] == holder["id"]]
    start = datetime.fromisoformat(middle["start"])
    away = [s for s in week if abs(datetime.fromisoformat(s["start"]) - start).days < 4]
    holder["unavailable"] += [[s["start"], s["end"]] for s in away]
    again["name"] = f"{data['name']}-resolve"
    again["previous"] = previous
    return again


def cases() -> list[tuple[str, Callable[[], dict[str, Any]]]]:
    """Return every benchmark case as (name, problem builder), generated ones first."""
    found: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        (case[0], lambda case=case: make_problem(*case)) for case in CASES
    ]
    found.append(("month-10-resolve", lambda: resolve_problem(make_problem(*CASES[0]))))
    for path in sorted(SCENARIOS.glob("*.json")):
        found.append((path.stem, lambda path=path: json.loads(path.read_text())))
    return found


def _figures(solution: Solution) -> tuple[float, float, float]:
    """Return largest load, spread and sum of squared loads."""
    loads = list(solution.load.values()) or [0.0]
    return max(loads), max(loads) - min(loads), sum(v * v for v in loads)


def _objectives(solution: Solution) -> str:
    """Return each stage's value, slash-separated, in stage order."""
    return " / ".join(f"{stage.value:g}" for stage in solution.stages)


def _load() -> str:
    """Return the 1-minute load average."""
    return f"{os.getloadavg()[0]:.1f}"


def main(argv: Sequence[str] | None = None) -> int:
    """Solve every case and print one table row per case for engine and greedy."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=10.0, help="as ROTA_SOLVE_SECONDS")
    parser.add_argument("--workers", type=int, default=2, help="as ROTA_SOLVE_WORKERS")
    parser.add_argument("--repeat", type=int, default=3, help="solves per case")
    parser.add_argument("--only", action="append", help="run only the cases with these names")
    parser.add_argument("--stages", action="store_true", help="print each stage's timing")
    parser.add_argument("--greedy", action="store_true", help="add the greedy baseline's row")
    args = parser.parse_args(argv)
    header = (
        "| case | solver | slots | filled | median s | max s | CPU s | work | status | max | spread"
        " | sum sq | stage objectives | load |"
    )
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for name, build in cases():
        if args.only and name not in args.only:
            continue
        problem = parse_problem(build())
        runs: list[tuple[float, float, Solution]] = []
        before = _load()
        for _ in range(args.repeat):
            wall, cpu = clock.perf_counter(), clock.process_time()
            solution = solve(problem, time_limit=args.time_limit, workers=args.workers)
            runs.append((clock.perf_counter() - wall, clock.process_time() - cpu, solution))
        walls = [w for w, _, _ in runs]
        cpu = statistics.median(c for _, c, _ in runs)
        rows = [("engine", statistics.median(walls), max(walls), cpu, runs[-1][2])]
        if args.greedy:
            greedy = greedy_solve(problem)
            rows.append(("greedy", greedy.seconds, greedy.seconds, greedy.seconds, greedy))
        load = f"{before}–{_load()}"
        for label, median, slowest, used, solution in rows:
            top, spread, squares = _figures(solution)
            # CP-SAT's deterministic time: the same on a busy machine.
            work = sum(getattr(stage, "work", 0.0) for stage in solution.stages)
            statuses = sorted({r[2].status for r in runs}) if label == "engine" else ["feasible"]
            objectives = _objectives(solution) if label == "engine" else ""
            print(
                f"| {name} | {label} | {len(problem.slots)} | {solution.filled} | {median:.2f}"
                f" | {slowest:.2f} | {used:.2f} | {work:.2f} | {'/'.join(statuses)} | {top:.2f}"
                f" | {spread:.2f} | {squares:.2f} | {objectives} | {load} |"
            )
        if len({_objectives(r[2]) for r in runs}) > 1:
            print(f"|  | (objectives varied: {sorted({_objectives(r[2]) for r in runs})}) |")
        if args.stages:
            for stage in runs[-1][2].stages:
                print(
                    f"    {stage.name:<11} {stage.status:<9} {stage.value:>10g}"
                    f" {stage.seconds:>7.2f}s"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
