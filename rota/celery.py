"""The Celery app, configured from Django settings with the CELERY namespace."""

import logging
import os
import time

from celery import Celery
from celery.signals import beat_init, before_task_publish

from rota.health import record_beat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rota.settings")

# Tasks use rota.background.Task: in development they run after the response, not inside it.
app = Celery("rota", task_cls="rota.background:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


_in_beat = False
_beat_recorded = 0.0


@beat_init.connect
def _mark_beat(**kwargs) -> None:
    global _in_beat
    _in_beat = True


@before_task_publish.connect
def _record_beat(**kwargs) -> None:
    """In the beat process: note that beat is alive each time it sends a task (health)."""
    global _beat_recorded
    if not _in_beat or time.monotonic() - _beat_recorded < 5:
        return
    _beat_recorded = time.monotonic()
    try:
        record_beat()
    except Exception:  # noqa: BLE001 (health must never stop beat)
        logging.getLogger(__name__).warning("could not record beat's heartbeat", exc_info=True)
