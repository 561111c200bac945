"""Load-test the main pages through gunicorn with concurrent clients, on 127.0.0.1 only.

Run from the repository root: ``python -m bench.load --clients 20 --seconds 20``. It drops and
creates a PostgreSQL database (``rota_load`` by default; a SQLite file with
``--database-url sqlite:////tmp/rota-load.sqlite3``), migrates it, builds the demo structure
scaled to 200 people in 10 teams (bench/scale.py), starts gunicorn with production settings and
drives each page in turn with that many clients for a bounded time and number of requests.
With no --think each client sends its next request as soon as the last one answers (a closed
loop: the server is saturated and latency is the queue); --think 1 makes each client pause about
a second between requests, as people do. Prints requests, requests per second, p50/p95/p99 and
errors per page; exits 1 on any error, 2 when a page misses the target p95.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

TARGET_P95_MS = 150.0
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/rota_load"
DEFAULT_CACHE = "redis://127.0.0.1:6379/13"


@dataclass
class Page:
    """One page under load: its name and how a client's n-th request is made."""

    name: str
    request: Callable[[int], tuple[str, dict[str, str]]]
    timings: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)


def _environment(database_url: str, port: int, cache_url: str) -> dict[str, str]:
    """Return a production-like environment (DEBUG off, a fresh secret, plain HTTP on loopback)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "ROTA_TESTING", "DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        EMAIL_URL="locmem://",
        LOG_LEVEL="WARNING",
    )
    if cache_url:
        env["CACHE_URL"] = cache_url
    else:
        env["PAGE_CACHE"] = "0"  # per-process caches would not see other workers' writes
    return env


def _fresh_database(database_url: str) -> str:
    """Drop and create the PostgreSQL database; fall back to a SQLite file if it is unreachable."""
    parsed = urlparse(database_url)
    if parsed.scheme == "sqlite":
        Path(database_url[len("sqlite:///") :]).unlink(missing_ok=True)
        return database_url
    import psycopg
    from psycopg import sql

    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            ident = sql.Identifier(name)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(ident))
    except psycopg.OperationalError as error:
        fallback = "sqlite:////tmp/rota-load.sqlite3"
        print(f"PostgreSQL unreachable ({error.__class__.__name__}); using {fallback}")
        return _fresh_database(fallback)
    return database_url


def _shared_cache(url: str) -> str:
    """Return the Redis URL for the shared cache, or "" (no page cache) if it is unreachable."""
    if not url:
        return ""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        print(f"Redis unreachable at {url} ({error.__class__.__name__}): no page cache")
        return ""
    return url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare(env: dict[str, str], *, seed: bool, clients: int, teams: int, people: int):
    """Migrate, build the data and sign in the clients, in this process."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from bench import scale

    if seed:
        from django.core.cache import cache

        cache.clear()  # stamps and parts of an earlier database must not match this one
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.0f} s; building {teams} teams…")
        started = time.perf_counter()
        scale.build(teams=teams, people=people, log=print)
        print(f"built the data in {time.perf_counter() - started:.0f} s")
    # DEBUG off serves hashed static file names from the manifest collectstatic writes.
    call_command("collectstatic", interactive=False, verbosity=0)
    found = scale.targets(clients=clients)
    connections.close_all()
    return found


def _start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen:
    """Start gunicorn on 127.0.0.1 and wait until /healthz answers."""
    command = [
        sys.executable, "-m", "gunicorn", "rota.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", "gthread", "--threads", str(threads),
        "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return server
        except requests.RequestException:
            pass  # still starting
        time.sleep(0.2)
    _stop(server)
    raise SystemExit(f"gunicorn did not answer /healthz (exit code {server.returncode})")


def _stop(server: subprocess.Popen) -> None:
    """Stop gunicorn and its workers (SIGTERM lets the arbiter end them)."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


Request = tuple[str, dict[str, str]]  # path and headers


def _pages(found) -> list[Page]:
    """The pages a client drives; each request picks the next team's session or token."""

    def session(cookie: str) -> dict[str, str]:
        return {"Cookie": f"sessionid={cookie}"}

    def dashboard(n: int) -> Request:
        return "/", session(found.engineer_sessions[n % len(found.engineer_sessions)])

    def period(n: int) -> Request:
        cookie, path = found.manager_periods[n % len(found.manager_periods)]
        return path, session(cookie)

    def feed(n: int) -> Request:
        return found.feed_paths[n % len(found.feed_paths)], {}

    def api(n: int) -> Request:
        token, path = found.api_calls[n % len(found.api_calls)]
        return path, {"Authorization": f"Bearer {token}"}

    return [
        Page("healthz (ceiling)", lambda n: ("/healthz", {})),
        Page("dashboard", dashboard),
        Page("period calendar", period),
        Page("ICS feed", feed),
        Page("on-call API", api),
    ]


def _drive(
    page: Page,
    *,
    port: int,
    clients: int,
    seconds: float,
    max_requests: int,
    warmup: float,
    think: float,
) -> float:
    """Run clients in threads against one page until the time or the request budget runs out.

    Each client keeps one HTTP/1.1 connection (http.client: far less CPU per request than a
    full HTTP library, which matters when the clients share the server's two cores).
    """
    lock = threading.Lock()
    issued = 0
    start = time.monotonic()
    stop_at = start + warmup + seconds

    def client(number: int) -> None:
        nonlocal issued
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        rng = random.Random(number)
        n = number
        while time.monotonic() < stop_at:
            with lock:
                if issued >= max_requests:
                    break
                issued += 1
            path, headers = page.request(n)
            began = time.monotonic()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                error = None if response.status == 200 else f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as exc:
                error = exc.__class__.__name__
                conn.close()  # the next request opens a new connection
            ended = time.monotonic()
            n += clients
            if think:
                # A person reads the page before the next click; jitter avoids lockstep clients.
                time.sleep(think * (0.5 + rng.random()))
            if began < start + warmup:
                continue  # the first moments fill gunicorn's and Django's caches
            with lock:
                if error:
                    page.errors[error] = page.errors.get(error, 0) + 1
                else:
                    page.timings.append((ended - began) * 1000)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - start - warmup


class Invalidator(threading.Thread):
    """Renew random teams' stamps at a steady rate, as writes in those teams would."""

    def __init__(self, per_second: float) -> None:
        super().__init__(daemon=True)
        self.per_second = per_second
        self.done = threading.Event()
        self.count = 0

    def run(self) -> None:
        from accounts import stamps
        from accounts.models import Team
        from bench.scale import PREFIX

        teams = list(Team.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
        rng = random.Random(0)
        while not self.done.wait(1 / self.per_second):
            stamps.touch(teams=[rng.choice(teams)])
            self.count += 1


def _percentile(sorted_ms: list[float], share: float) -> float:
    if not sorted_ms:
        return float("nan")
    return sorted_ms[min(len(sorted_ms) - 1, max(0, round(share * len(sorted_ms)) - 1))]


def _report(rows: list[tuple[Page, float]], clients: int, think: float) -> bool:
    """Print the table; return True when every page met the target without errors."""
    print()
    print(f"{'page':<20}{'requests':>9}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  errors")
    ok = True
    for page, elapsed in rows:
        timings = sorted(page.timings)
        errors = sum(page.errors.values())
        p95 = _percentile(timings, 0.95)
        missed = errors or not p95 < TARGET_P95_MS
        ok = ok and not missed
        detail = ", ".join(f"{k} ×{v}" for k, v in page.errors.items()) or "0"
        over = "  (p95 over target)" if p95 >= TARGET_P95_MS else ""
        print(
            f"{page.name:<20}{len(timings) + errors:>9}{len(timings) / elapsed:>8.1f}"
            f"{statistics.median(timings) if timings else float('nan'):>9.1f}{p95:>9.1f}"
            f"{_percentile(timings, 0.99):>9.1f}  {detail}{over}"
        )
    print(
        f"\n{clients} clients, think time {think:g} s; "
        f"target: no errors and p95 < {TARGET_P95_MS:g} ms on every page; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients per page")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per page")
    parser.add_argument("--max-requests", type=int, default=50000, help="request budget per page")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured seconds per page")
    parser.add_argument(
        "--think", type=float, default=0, help="mean pause in seconds between a client's requests"
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="gunicorn worker processes"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--people", type=int, default=20, help="people per team")
    parser.add_argument("--reuse", action="store_true", help="keep the last run's database")
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("LOAD_CACHE_URL", DEFAULT_CACHE),
        help='shared Redis cache of the web workers ("" runs without the page cache)',
    )
    parser.add_argument("--only", default="", help="comma-separated page names to drive")
    parser.add_argument(
        "--invalidate",
        type=float,
        default=0,
        help="team stamps renewed per second during the run, as writes in the teams would",
    )
    args = parser.parse_args(argv)

    database_url = args.database_url if args.reuse else _fresh_database(args.database_url)
    port = _free_port()
    env = _environment(database_url, port, _shared_cache(args.cache_url))
    found = _prepare(
        env, seed=not args.reuse, clients=args.clients, teams=args.teams, people=args.people
    )
    server = _start_gunicorn(env, port, args.workers, args.threads)
    rows = []
    invalidator = Invalidator(args.invalidate) if args.invalidate else None
    if invalidator is not None:
        invalidator.start()
    try:
        for page in _pages(found):
            if args.only and not any(part in page.name for part in args.only.split(",")):
                continue
            print(f"driving {page.name}: {args.clients} clients, {args.seconds:g} s", flush=True)
            elapsed = _drive(
                page, port=port, clients=args.clients, seconds=args.seconds,
                max_requests=args.max_requests, warmup=args.warmup, think=args.think,
            )  # fmt: skip
            rows.append((page, elapsed))
    finally:
        if invalidator is not None:
            invalidator.done.set()
            print(f"renewed {invalidator.count} team stamps during the run")
        _stop(server)
    ok = _report(rows, args.clients, args.think)
    errors = sum(sum(page.errors.values()) for page, _ in rows)
    return 1 if errors else (0 if ok else 2)


if __name__ == "__main__":
    sys.exit(main())
