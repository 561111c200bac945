"""Project-wide periodic tasks."""

from datetime import timedelta

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from rota import outbox
from rota.health import record_heartbeat
from rota.models import OutboundEmail


@shared_task(bind=True)
def heartbeat(self) -> None:
    """Record that a worker of the queue this ran from is alive."""
    record_heartbeat((self.request.delivery_info or {}).get("routing_key"))


@shared_task(bind=True, max_retries=20, autoretry_for=(DatabaseError,), retry_backoff=2)
def send_email(self, email_id: int) -> None:
    """Send one outbox email; wait for a claim a killed worker left behind to expire."""

    status = outbox.deliver(email_id)
    if status == OutboundEmail.Status.SENDING:
        # Another worker holds the claim: it is sending, or it died (then the claim expires).
        until = OutboundEmail.objects.filter(pk=email_id).values_list("claimed_until", flat=True)
        left = (until.first() or timezone.now()) - timezone.now()
        raise self.retry(countdown=max(1, int(left / timedelta(seconds=1)) + 1))


@shared_task
def sweep_outbox() -> None:
    """Send emails that were not enqueued, whose claim expired or whose back-off ended."""
    outbox.sweep()
