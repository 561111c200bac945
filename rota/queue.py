"""Enqueue Celery tasks so that a broker outage never fails the request that asked."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any) -> bool:
    """Send the task now; log and return False when the broker is unreachable (a sweep retries)."""
    if task.app.conf.task_always_eager:
        task.delay(*args)  # in-process: its errors are the caller's, as before
        return True
    try:
        task.delay(*args)
    except Exception as error:  # noqa: BLE001 (any broker failure: the outbox row waits)
        log.warning("Could not enqueue %s%s (%s); the sweep will run it", task.name, args, error)
        return False
    return True


def after_commit(task: Any, *args: Any) -> None:
    """Enqueue the task once the current transaction commits, never raising into the caller."""
    transaction.on_commit(lambda: enqueue(task, *args))
