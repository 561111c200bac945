"""Beat tasks for reminders: thin wrappers, each idempotent through ReminderSent."""

from __future__ import annotations

from celery import shared_task

from scheduling.oncall import handoffs, reminders


@shared_task
def send_shift_reminders() -> int:
    """Remind holders 24 h and 1 h before their shifts (every 15 minutes)."""
    return reminders.send_shift_reminders()


@shared_task
def send_unfilled_warnings() -> int:
    """Warn managers of unfilled seats within 7 days (every 15 minutes)."""
    return reminders.send_unfilled_warnings()


@shared_task
def send_handover_missing() -> int:
    """Remind outgoing holders without a handover note 1 h before the handoff (every 15 min)."""
    return reminders.send_handover_missing()


@shared_task
def scan_handoffs() -> int:
    """Record the handoffs of shift boundaries passed since the last scan (every minute)."""
    return len(handoffs.scan())
