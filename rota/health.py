"""Report whether the database, the broker and the worker are alive."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection

HEARTBEAT_KEY = "rota:worker-heartbeat"


def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def record_heartbeat() -> None:
    """Store the worker's heartbeat time in the broker."""
    if settings.REDIS_URL:
        _redis().set(HEARTBEAT_KEY, str(time.time()), ex=settings.HEARTBEAT_MAX_AGE_SECONDS * 10)


def check_database() -> tuple[bool, str]:
    """Run a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # any driver error means the database is down
        return False, f"error: {exc.__class__.__name__}"


def check_broker() -> tuple[bool, str]:
    """Ping Redis, or report eager mode when there is no broker."""
    if not settings.REDIS_URL:
        return True, "eager (no broker configured)"
    try:
        _redis().ping()
        return True, "ok"
    except Exception as exc:  # connection refused, timeout, auth
        return False, f"error: {exc.__class__.__name__}"


def check_worker() -> tuple[bool, str]:
    """Check that a worker ran the heartbeat task recently."""
    if not settings.REDIS_URL:
        return True, "eager (tasks run in the web process)"
    try:
        raw = _redis().get(HEARTBEAT_KEY)
    except Exception as exc:
        return False, f"unknown: broker unreachable ({exc.__class__.__name__})"
    if raw is None:
        return False, "no heartbeat recorded"
    age = time.time() - float(raw)
    if age > settings.HEARTBEAT_MAX_AGE_SECONDS:
        return False, f"last heartbeat {int(age)} s ago"
    return True, f"ok (heartbeat {int(age)} s ago)"


def status() -> tuple[bool, dict[str, str]]:
    """Return overall health and each component's state."""
    checks = {"database": check_database(), "broker": check_broker(), "worker": check_worker()}
    healthy = all(ok for ok, _ in checks.values())
    return healthy, {name: text for name, (_, text) in checks.items()}
