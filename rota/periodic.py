"""Rota's periodic jobs: the table Celery beat runs (settings.CELERY_BEAT_SCHEDULE).

Every job is idempotent (two beats, or a late run, do no harm); tests/rota/test_beat.py checks
that each names a task a worker knows.
"""

from __future__ import annotations

from datetime import timedelta


def beat_schedule(*, io_queue: str) -> dict[str, dict]:
    """Return the beat schedule; the io worker's heartbeat goes to io_queue."""
    return {
        # Cover requests: ranked timeouts, reminders and escalation (idempotent).
        "cover-sweep": {"task": "cover.tasks.sweep", "schedule": timedelta(minutes=5)},
        "worker-heartbeat": {"task": "rota.tasks.heartbeat", "schedule": timedelta(seconds=30)},
        "io-worker-heartbeat": {
            "task": "rota.tasks.heartbeat",
            "schedule": timedelta(seconds=30),
            "options": {"queue": io_queue},
        },
        # Emails whose enqueue failed, whose claim expired or whose back-off ended.
        "outbox-sweep": {"task": "rota.tasks.sweep_outbox", "schedule": timedelta(minutes=1)},
        "requirements-warn-expiring": {
            "task": "scheduling.requirements.tasks.warn_expiring",
            "schedule": timedelta(days=1),
        },
        "availability-sync-calendars": {
            "task": "scheduling.availability.tasks.sync_all_connections",
            "schedule": timedelta(minutes=30),
        },
        "availability-deadline-reminders": {
            "task": "scheduling.availability.tasks.send_deadline_reminders",
            "schedule": timedelta(days=1),
        },
        # Calendars: apply SeatChanges no worker applied, retry deliveries whose back-off ended.
        "calendars-sweep": {"task": "calendars.tasks.sweep", "schedule": timedelta(minutes=1)},
        "calendars-refresh": {
            "task": "calendars.tasks.refresh_upcoming",
            "schedule": timedelta(hours=6),
        },
        # Slack: send calls whose back-off ended, handle commands and buttons no worker took.
        "slack-sweep": {"task": "integrations.slack.tasks.sweep", "schedule": timedelta(minutes=1)},
        "oncall-shift-reminders": {
            "task": "scheduling.oncall.tasks.send_shift_reminders",
            "schedule": timedelta(minutes=15),
        },
        "oncall-unfilled-warnings": {
            "task": "scheduling.oncall.tasks.send_unfilled_warnings",
            "schedule": timedelta(minutes=15),
        },
        "oncall-handoffs": {
            "task": "scheduling.oncall.tasks.scan_handoffs",
            "schedule": timedelta(minutes=1),
        },
        # Integrations: record missed webhook events, retry deliveries, sync paging tools.
        "webhooks-sweep": {
            "task": "integrations.webhooks.tasks.sweep",
            "schedule": timedelta(minutes=1),
        },
        "paging-sweep": {
            "task": "integrations.paging.tasks.sweep",
            "schedule": timedelta(minutes=1),
        },
        "oncall-handover-missing": {
            "task": "scheduling.oncall.tasks.send_handover_missing",
            "schedule": timedelta(minutes=15),
        },
    }
