"""Eager tasks after the response: under `make run` Recommend and Publish return at once.

Without a broker (no `REDIS_URL`) Celery runs a task inside `.delay()`, so a request that queues
the engine would wait for it. With `ROTA_TASKS_IN_THREAD` (on for `DEBUG` without a broker, off
in tests) `.delay()` hands the task to one background thread instead: tasks run one at a time in
the order they were queued, each with its own database connection, closed afterwards. Tasks are
queued with `transaction.on_commit`, so the thread only ever sees committed rows.
"""

from __future__ import annotations

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery import Task as CeleryTask
from celery.result import AsyncResult
from django.conf import settings
from django.db import close_old_connections, connections

log = logging.getLogger(__name__)
_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            # One thread: tasks never race each other, and SQLite sees one writer at a time.
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rota-task")
        return _executor


def _run(task: CeleryTask, args: tuple, kwargs: dict, task_id: str) -> None:
    close_old_connections()
    try:
        result = task.apply(args=args, kwargs=kwargs, task_id=task_id, throw=False)
        if result.failed():
            log.error("Task %s failed:\n%s", task.name, result.traceback)
    finally:
        connections.close_all()


def wait_idle(timeout: float = 60) -> None:
    """Block until every task submitted so far has run (tests and management commands)."""
    _pool().submit(lambda: None).result(timeout=timeout)


class Task(CeleryTask):
    """A Celery task that, with `ROTA_TASKS_IN_THREAD`, runs in the background thread."""

    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        """Queue the task: on the broker, or on the background thread in development."""
        if getattr(settings, "ROTA_TASKS_IN_THREAD", False):
            task_id = str(uuid.uuid4())
            _pool().submit(_run, self, tuple(args or ()), dict(kwargs or {}), task_id)
            return AsyncResult(task_id)
        return super().apply_async(args=args, kwargs=kwargs, **options)
