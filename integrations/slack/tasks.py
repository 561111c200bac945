"""Slack tasks: send one outbox call, handle one command or press, and the minute sweep."""

from __future__ import annotations

from celery import shared_task

from integrations.slack import inbound, notify, outbox
from integrations.slack.models import Inbound


@shared_task
def deliver(call_id: int) -> None:
    """Send one queued Slack call (once; a retry waits for its back-off)."""
    outbox.deliver(call_id=call_id)


@shared_task
def handle_inbound(inbound_id: int) -> None:
    """Answer a verified slash command or button press."""
    inbound.handle(inbound_id=inbound_id)


@shared_task
def sweep() -> None:
    """Send due calls, handle what no worker took, heal the role groups (each minute)."""
    for pk in Inbound.objects.filter(handled_at__isnull=True).values_list("pk", flat=True)[:200]:
        inbound.handle(inbound_id=pk)
    notify.sync_all_groups()
    outbox.sweep()
