"""Periodic requirement jobs."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from scheduling.requirements import notify


@shared_task
def warn_expiring() -> int:
    """Send the daily expiry warnings (idempotent: each warning is recorded once sent)."""
    with transaction.atomic():
        return notify.warn_expiring()
