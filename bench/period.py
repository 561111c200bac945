"""Time the manager's period calendar built without any cache, for 20 and 60 people × 31 days.

Run from the repository root: ``python -m bench.period``. It drops and creates a database
(PostgreSQL ``rota_bench_period`` by default; ``--reuse`` keeps the last run's), builds one team
of 20 and one of 60 people cloned from the demo's Payments team (bench/scale.py: requirements
and completions, availability, six months of history, this month published, next month
recommended by the real engine), then times, for next month, with the page cache off:

- **sections**: the calendar's cached parts as a cache miss builds them (grid, shifts, summary,
  health), in a function call;
- **page**: the whole period page through the Django stack (middleware, session, templates);
- **seat panel**: the seat panel part of one seat, through the Django stack;
- **healthz**: the trivial view, in the same run, as the base of the ratios.

Prints the median, fastest and p95 wall time in ms of ``--runs`` runs (on a shared machine the
fastest is the least disturbed), the median CPU time of this process (it leaves out
PostgreSQL's share), the ratio to /healthz and the SQL queries of each; exits 1 when the
sections miss their target (20 people ≤ 40 ms, 60 people ≤ 120 ms at the median) or their
query count grows with the team.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/rota_bench_period"
TARGET_MS = {20: 40.0, 60: 120.0}


def _setup(database_url: str, *, fresh: bool) -> None:
    # No Redis at all: tasks run eagerly, the cache is this process's memory, the page cache off.
    for name in ("REDIS_URL", "CACHE_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="rota.settings",
        DATABASE_URL=database_url,
        ROTA_TESTING="1",  # no SECRET_KEY needed, local hosts allowed, DEBUG stays off
        PAGE_CACHE="0",
        EMAIL_URL="locmem://",  # publishing the history emails the team: keep it quiet
    )
    if fresh and urlparse(database_url).scheme.startswith("postgres"):
        import psycopg
        from psycopg import sql

        parsed = urlparse(database_url)
        admin = parsed._replace(path="/postgres").geturl()
        ident = sql.Identifier(parsed.path.lstrip("/"))
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(ident))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _team(size: int, *, build: bool):
    """Return (manager, next month's period) of the bench team of `size` people."""
    from accounts.models import Membership, Role
    from bench import scale
    from scheduling.rotas.models import RotaPeriod

    prefix = f"bench{size}-"
    if build:
        scale.PREFIX = prefix  # scale names its teams PREFIX01, PREFIX02…
        started = time.perf_counter()
        scale.build(teams=1, people=size, log=lambda line: None)
        print(f"built {size} people in {time.perf_counter() - started:.0f} s", flush=True)
    membership = (
        Membership.objects.select_related("team", "user")
        .filter(team__slug=f"{prefix}01", role=Role.MANAGER)
        .get()
    )
    period = RotaPeriod.objects.filter(team=membership.team).order_by("-starts_on").first()
    return membership.user, period


def _measure(action: Callable[[], object], runs: int) -> tuple[list[float], list[float], int]:
    """Return the sorted wall and CPU timings in ms of `runs` calls, and the queries of one."""
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    action()  # warm up: URL patterns, templates, time zones
    with connection.execute_wrapper(count):
        action()
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return sorted(timings), sorted(cpu), len(queries)


def _ok(response) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--reuse", action="store_true", help="keep the last run's database")
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each measure")
    parser.add_argument("--sizes", default="20,60", help="team sizes, comma-separated")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    _setup(args.database_url, fresh=not args.reuse)

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from scheduling.rotas import calendar
    from scheduling.rotas.models import Seat

    teams = {size: _team(size, build=not args.reuse) for size in sizes}
    client = Client(SERVER_NAME="127.0.0.1")
    base, _cpu, _queries = _measure(lambda: _ok(client.get("/healthz")), args.runs)
    healthz = statistics.median(base)
    print(
        f"\n{args.runs} runs each, page cache off, load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs; /healthz median {healthz:.2f} ms (the ratios' base)"
    )
    print(
        f"{'people':>6}  {'measure':<12}{'median ms':>10}{'min ms':>8}{'p95 ms':>9}{'CPU ms':>9}"
        f"{'× healthz':>11}{'queries':>9}"
    )
    ok, section_queries = True, set()
    for size, (manager, period) in teams.items():
        client.force_login(manager)
        page = reverse("rotas:period", args=[period.team.slug, period.pk])
        seat = Seat.objects.filter(shift__period=period).order_by("shift__starts_at").first()
        panel = reverse("rotas:seat_panel", args=[period.team.slug, period.pk, seat.pk])

        def sections(period=period, manager=manager):
            with timezone.override(manager.tz):  # as the page shows it to the manager
                return calendar._sections(period)

        measures = {
            "sections": sections,
            "page": lambda page=page: _ok(client.get(page)),
            "seat panel": lambda panel=panel: _ok(client.get(panel)),
        }
        for name, action in measures.items():
            timings, cpu, queries = _measure(action, args.runs)
            median = statistics.median(timings)
            p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
            print(
                f"{size:>6}  {name:<12}{median:>10.1f}{timings[0]:>8.1f}{p95:>9.1f}"
                f"{statistics.median(cpu):>9.1f}"
                f"{median / healthz:>11.0f}{queries:>9}"
            )
            if name == "sections":
                section_queries.add(queries)
                ok = ok and median <= TARGET_MS.get(size, float("inf"))
    targets = ", ".join(f"{size} people ≤ {ms:g} ms" for size, ms in TARGET_MS.items())
    same = len(section_queries) == 1
    print(f"\ntarget for the sections: {targets}; the same queries at every size: {same}")
    return 0 if ok and same else 1


if __name__ == "__main__":
    sys.exit(main())
