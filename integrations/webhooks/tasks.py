"""Webhook jobs: deliver one, deliver everything due, and the minute sweep."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from integrations.webhooks import events, services
from integrations.webhooks.models import Delivery, Endpoint

log = logging.getLogger(__name__)


def enqueue(delivery_id: int) -> None:
    """Queue one delivery; if the broker is down the minute sweep sends it."""
    try:
        deliver.delay(delivery_id)
    except Exception:  # noqa: BLE001 (the delivery row is committed; the sweep catches up)
        log.warning("Could not enqueue webhook delivery %s; the sweep will send it", delivery_id)


@shared_task
def deliver(delivery_id: int) -> None:
    """Send one delivery if it is still due (once, however often this runs)."""
    services.deliver(delivery_id=delivery_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=10)
def email_disabled(endpoint_id: int) -> None:
    """Email the managers that a webhook was turned off (retried while SMTP is down)."""
    endpoint = Endpoint.objects.select_related("team").filter(pk=endpoint_id).first()
    if endpoint is not None and not endpoint.is_active:
        services.email_disabled(endpoint=endpoint)


@shared_task
def deliver_due() -> int:
    """Send every delivery whose back-off ended."""
    ids = list(
        Delivery.objects.due(timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
    return sum(1 for pk in ids if services.deliver(delivery_id=pk))


@shared_task
def sweep() -> int:
    """Record events no signal recorded, then send what is due (each minute)."""
    events.sweep()
    return deliver_due()
