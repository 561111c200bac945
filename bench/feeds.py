"""Benchmark the personal ICS feed of a person on call every day for a year.

Run from the repository root: ``python bench/feeds.py`` (a throwaway SQLite file is built), or
point DATABASE_URL at a scratch database. Prints the mean, median and p95 time of 50 requests
through the full Django stack (and this process's CPU time), and the queries per request
for two feed sizes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_MS = 50.0


def _setup(database_url: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rota.settings")
    os.environ["DATABASE_URL"] = database_url
    # ROTA_TESTING: no SECRET_KEY needed, local hosts allowed, no query logging (DEBUG stays off).
    os.environ.setdefault("ROTA_TESTING", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build(days_past: int, days_ahead: int):
    """Create a team, a person holding the primary seat every day, and a rotating partner."""
    import zoneinfo

    from accounts.models import EscalationContact, Membership, Team, User
    from calendars.models import CalendarPreferences
    from calendars.sync import sync_shifts
    from scheduling.rotas.models import PeriodState, RotaPeriod, Seat, Shift

    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    team = Team.objects.create(
        name=f"Bench {stamp}", slug=f"bench-{stamp}", timezone="Europe/London"
    )
    EscalationContact.objects.bulk_create(
        EscalationContact(
            team=team, position=i, name=f"Escalation {i}", role="Manager", phone="+442079460000"
        )
        for i in range(3)
    )
    person = User.objects.create_user(
        f"bench-{stamp}@example.com", "x", display_name="Bench Person", oncall_phone="+447700900000"
    )
    partners = [
        User.objects.create_user(
            f"bench-{stamp}-{i}@example.com",
            "x",
            display_name=f"Partner {i}",
            oncall_phone=f"+4477009001{i:02d}",
        )
        for i in range(4)
    ]
    for user in [person, *partners]:
        Membership.objects.create(user=user, team=team)
    zone = zoneinfo.ZoneInfo(team.timezone)
    today = datetime.now(zone).date()
    first = today - timedelta(days=days_past)
    last = today + timedelta(days=days_ahead)
    period = RotaPeriod.objects.create(
        team=team, starts_on=first, ends_on=last, state=PeriodState.PUBLISHED, version=1
    )
    shifts = Shift.objects.bulk_create(
        Shift(
            period=period,
            team=team,
            starts_at=datetime.combine(
                first + timedelta(days=i), datetime.min.time().replace(hour=9), zone
            ),
            ends_at=datetime.combine(
                first + timedelta(days=i + 1), datetime.min.time().replace(hour=9), zone
            ),
        )
        for i in range((last - first).days)
    )
    Seat.objects.bulk_create(
        seat
        for i, shift in enumerate(shifts)
        for seat in (
            Seat(shift=shift, role="primary", holder=person, proposed_holder=person),
            Seat(
                shift=shift,
                role="secondary",
                holder=partners[i % 4],
                proposed_holder=partners[i % 4],
            ),
        )
    )
    ids = [s.pk for s in shifts]
    for start in range(0, len(ids), 200):
        sync_shifts(shift_ids=ids[start : start + 200], at=datetime.now(UTC))
    return CalendarPreferences.for_user(person)


def _measure(token: str, runs: int) -> tuple[list[float], int, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    client = Client(SERVER_NAME="127.0.0.1")
    url = reverse("calendars:feed", args=[token])
    client.get(url)  # warm caches (time zone transitions, URL patterns, link tokens)
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # The feed's text is kept a minute under its tag: clear it so every request renders.
    cache.clear()
    with connection.execute_wrapper(count):
        response = client.get(url)
    events = response.content.count(b"BEGIN:VEVENT")
    timings, cpu = [], []
    for _ in range(runs):
        cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    return timings, cpu, len(queries), events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "sqlite:////tmp/rota-bench-feeds.sqlite3"),
    )
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    _setup(args.database_url)

    small = _build(days_past=30, days_ahead=10)
    _timings, _cpu, small_queries, small_events = _measure(small.feed_token, 3)
    year = _build(days_past=30, days_ahead=365)
    timings, cpu, queries, events = _measure(year.feed_token, args.runs)

    timings.sort()
    mean = statistics.fmean(timings)
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"personal feed, {events} events (30 days back + 12 months ahead, on call every day)")
    median = statistics.median(timings)
    print(
        f"  {args.runs} requests: mean {mean:.1f} ms, median {median:.1f} ms, p95 {p95:.1f} ms, "
        f"min {timings[0]:.1f} ms (target < {TARGET_MS:g} ms; "
        f"load average {os.getloadavg()[0]:.1f})"
    )
    # On a shared machine wall time includes waiting for a CPU; this process's CPU time does not
    # (with PostgreSQL it leaves out the database server's share).
    print(
        f"  CPU time of this process: median {statistics.median(cpu):.1f} ms, min {min(cpu):.1f} ms"
    )
    print(
        f"  queries per request: {queries} with {events} events, "
        f"{small_queries} with {small_events} events"
    )
    ok = median < TARGET_MS and queries == small_queries
    print("  OK" if ok else "  SLOWER THAN THE TARGET OR QUERIES GROW")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
