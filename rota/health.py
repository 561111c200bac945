"""Report whether the database, the broker, beat and each worker are alive, naming each part.

Beat records that it runs each time it sends a task (the ``before_task_publish`` hook in
rota.celery); each worker records the heartbeat task that beat sends to its queue. So a
stopped beat reads "beat: last sent …", and the workers then read "unknown" rather than dead.
"""

from __future__ import annotations

import time

import redis
from django.conf import settings
from django.db import connection

HEARTBEAT_KEY = "rota:worker-heartbeat"
IO_HEARTBEAT_KEY = "rota:worker-heartbeat:io"
BEAT_KEY = "rota:beat-heartbeat"


def _redis():
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def key_for_queue(queue: str | None) -> str:
    """Return the heartbeat key of the worker consuming the queue (io or the default one)."""
    return IO_HEARTBEAT_KEY if queue and queue == settings.CELERY_IO_QUEUE else HEARTBEAT_KEY


def _store(key: str) -> None:
    _redis().set(key, str(time.time()), ex=settings.HEARTBEAT_MAX_AGE_SECONDS * 10)


def record_heartbeat(queue: str | None = None) -> None:
    """Store the time a worker of the queue ran the heartbeat task."""
    if settings.REDIS_URL:
        _store(key_for_queue(queue))


def record_beat() -> None:
    """Store the time beat sent a task."""
    if settings.REDIS_URL:
        _store(BEAT_KEY)


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


def _age(key: str) -> float | None:
    raw = _redis().get(key)
    return None if raw is None else time.time() - float(raw)


def check_beat() -> tuple[bool, str]:
    """Check that beat sent a task recently (it sends heartbeats every 30 s)."""
    if not settings.REDIS_URL:
        return True, "eager (no periodic jobs without a broker)"
    try:
        age = _age(BEAT_KEY)
    except Exception as exc:
        return False, f"unknown: broker unreachable ({exc.__class__.__name__})"
    if age is None:
        return False, "beat has not sent any task"
    if age > settings.HEARTBEAT_MAX_AGE_SECONDS:
        return False, f"last task sent {int(age)} s ago"
    return True, f"ok (last task sent {int(age)} s ago)"


def check_worker(key: str = HEARTBEAT_KEY, *, beat_ok: bool = True) -> tuple[bool, str]:
    """Check that a worker ran the heartbeat task recently."""
    if not settings.REDIS_URL:
        return True, "eager (tasks run in the web process)"
    try:
        age = _age(key)
    except Exception as exc:
        return False, f"unknown: broker unreachable ({exc.__class__.__name__})"
    if age is not None and age <= settings.HEARTBEAT_MAX_AGE_SECONDS:
        return True, f"ok (heartbeat {int(age)} s ago)"
    if not beat_ok:
        # Beat sends the heartbeats: without it a stale heartbeat says nothing about the worker.
        return True, "unknown: beat is not sending heartbeats"
    if age is None:
        return False, "no heartbeat recorded"
    return False, f"last heartbeat {int(age)} s ago"


def status() -> tuple[bool, dict[str, str], list[str]]:
    """Return overall health, each part's state, and the names of the parts that fail."""
    beat = check_beat()
    checks = {
        "database": check_database(),
        "broker": check_broker(),
        "beat": beat,
        "worker": check_worker(HEARTBEAT_KEY, beat_ok=beat[0]),
        "io_worker": check_worker(IO_HEARTBEAT_KEY, beat_ok=beat[0]),
    }
    failing = [name for name, (ok, _) in checks.items() if not ok]
    return not failing, {name: text for name, (_, text) in checks.items()}, failing
