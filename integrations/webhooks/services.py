"""Manage a team's webhook endpoints and deliver events to them, once each."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from accounts import audit
from accounts.models import Membership, Team, User
from integrations.webhooks import http, tasks
from integrations.webhooks.errors import SendError, WebhookError
from integrations.webhooks.models import EVENT_NAMES, Delivery, DeliveryState, Endpoint, Event
from rota import outbox, urlguard

CLAIM_FOR = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)


def new_secret() -> str:
    """Return a new signing secret in the Standard Webhooks form (whsec_ + base64 of 32 bytes)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _check(url: str, events: list[str]) -> list[str]:
    try:
        urlguard.check_url(url)
    except urlguard.FetchError as error:
        raise WebhookError(str(error)) from None
    unknown = sorted(set(events) - set(EVENT_NAMES))
    if unknown:
        raise WebhookError(
            f"Unknown event {', '.join(unknown)}; choose from {', '.join(EVENT_NAMES)}."
        )
    if not events:
        raise WebhookError("Choose at least one event.")
    return [name for name in EVENT_NAMES if name in events]


def add_endpoint(
    *, team: Team, url: str, events: list[str], by: User | None, description: str = ""
) -> Endpoint:
    """Add an endpoint with a new signing secret (shown to the person once)."""
    events = _check(url, list(events))
    endpoint = Endpoint.objects.create(
        team=team,
        url=url,
        events=events,
        description=description[:120],
        secret=new_secret(),
        created_by=by,
    )
    audit.record(
        action="webhooks.added",
        summary=f"{by.name if by else 'An operator'} added the webhook {url} ({', '.join(events)})",
        actor=by,
        team=team,
        target=endpoint,
        events=events,
    )
    return endpoint


def update_endpoint(*, endpoint: Endpoint, events: list[str], by: User) -> Endpoint:
    """Change which events the endpoint receives."""
    endpoint.events = _check(endpoint.url, list(events))
    endpoint.save(update_fields=["events"])
    audit.record(
        action="webhooks.changed",
        summary=f"{by.name} set the events of {endpoint.url} to {', '.join(endpoint.events)}",
        actor=by,
        team=endpoint.team,
        target=endpoint,
    )
    return endpoint


def remove_endpoint(*, endpoint: Endpoint, by: User) -> None:
    """Delete the endpoint and its delivery log."""
    audit.record(
        action="webhooks.removed",
        summary=f"{by.name} removed the webhook {endpoint.url}",
        actor=by,
        team=endpoint.team,
        target=endpoint,
    )
    endpoint.delete()


def enable_endpoint(*, endpoint: Endpoint, by: User) -> Endpoint:
    """Turn a disabled endpoint back on; its held deliveries go out at once."""
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(
            disabled_at=None, disabled_reason="", consecutive_failures=0
        )
        Delivery.objects.filter(endpoint=endpoint, state=DeliveryState.PENDING).update(
            next_attempt_at=timezone.now()
        )
        audit.record(
            action="webhooks.enabled",
            summary=f"{by.name} turned the webhook {endpoint.url} back on",
            actor=by,
            team=endpoint.team,
            target=endpoint,
        )
        transaction.on_commit(lambda: tasks.deliver_due.delay())
    endpoint.refresh_from_db()
    return endpoint


def send_test(*, endpoint: Endpoint, by: User) -> Delivery:
    """Queue a signed test event to the endpoint."""
    with transaction.atomic():
        event = Event.objects.create(
            team=endpoint.team,
            type="test",
            source_id=None,
            payload={
                "type": "test",
                "timestamp": timezone.now().isoformat(),
                "data": {"team": endpoint.team.slug, "sent_by": by.name},
            },
        )
        delivery = Delivery.objects.create(endpoint=endpoint, event=event, test=True)
        transaction.on_commit(lambda: tasks.enqueue(delivery.pk))
    return delivery


def redeliver(*, delivery: Delivery, by: User) -> Delivery:
    """Send an event again (a new delivery of the same message id), e.g. after a receiver fix."""
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.PENDING, next_attempt_at=timezone.now(), claimed_until=None
        )
        audit.record(
            action="webhooks.redelivered",
            summary=f"{by.name} redelivered {delivery.event.type} to {delivery.endpoint.url}",
            actor=by,
            team=delivery.endpoint.team,
            target=delivery,
        )
        transaction.on_commit(lambda: tasks.enqueue(delivery.pk))
    delivery.refresh_from_db()
    return delivery


def backoff(attempts: int, retry_after: int | None = None) -> timedelta:
    """Return the wait after the n-th failure: 30 s, 1, 2, 4 … 60 minutes, or Retry-After."""
    wait = timedelta(seconds=min(MAX_BACKOFF.total_seconds(), 30 * 2 ** max(0, attempts - 1)))
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=min(retry_after, MAX_BACKOFF.total_seconds())))
    return wait


def signed_request(delivery: Delivery, now: datetime) -> tuple[bytes, dict[str, str]]:
    """Return the body and the Standard Webhooks headers for the delivery."""
    body = json.dumps(delivery.event.payload, separators=(",", ":"), sort_keys=True)
    message_id = delivery.event.message_id
    signature = Webhook(delivery.endpoint.secret).sign(message_id, now, body)
    headers = {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    return body.encode(), headers


def claim(delivery_id: int, now: datetime) -> Delivery | None:
    """Claim a due delivery for one worker (a conditional update whose row count is checked)."""
    claimed = (
        Delivery.objects.due(now)
        .filter(pk=delivery_id)
        .update(claimed_until=now + CLAIM_FOR, last_attempt_at=now)
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("endpoint__team", "event").get(pk=delivery_id)


def deliver(*, delivery_id: int, now: datetime | None = None) -> bool:
    """Send one due delivery; True when the receiver answered 2xx."""
    now = now or timezone.now()
    delivery = claim(delivery_id, now)
    if delivery is None:
        return False
    body, headers = signed_request(delivery, now)
    try:
        answer = http.post(delivery.endpoint.url, body=body, headers=headers)
    except SendError as error:
        _failed(delivery, now, status=None, body="", error=str(error), retry_after=None)
        return False
    if 200 <= answer.status < 300:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.DELIVERED,
            delivered_at=timezone.now(),
            claimed_until=None,
            attempts=delivery.attempts + 1,
            response_status=answer.status,
            response_body=answer.body,
            error="",
        )
        Endpoint.objects.filter(pk=delivery.endpoint_id).update(consecutive_failures=0)
        return True
    _failed(
        delivery,
        now,
        status=answer.status,
        body=answer.body,
        error=f"The receiver answered {answer.status}.",
        retry_after=answer.retry_after,
    )
    return False


def _failed(
    delivery: Delivery,
    now: datetime,
    *,
    status: int | None,
    body: str,
    error: str,
    retry_after: int | None,
) -> None:
    """Record the failed attempt, back off, and disable the endpoint after too many in a row."""
    attempts = delivery.attempts + 1
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        claimed_until=None,
        next_attempt_at=now + backoff(attempts, retry_after),
        response_status=status,
        response_body=body,
        error=error[:300],
    )
    if delivery.test:
        return
    with transaction.atomic():
        endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        endpoint.consecutive_failures += 1
        endpoint.save(update_fields=["consecutive_failures"])
        if endpoint.is_active and endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER:
            _disable(endpoint, now, error)


def _disable(endpoint: Endpoint, now: datetime, error: str) -> None:
    """Stop sending to the endpoint (its deliveries wait) and tell the team's managers."""
    endpoint.disabled_at = now
    endpoint.disabled_reason = (
        f"{endpoint.consecutive_failures} failed attempts in a row; last: {error}"
    )[:300]
    endpoint.save(update_fields=["disabled_at", "disabled_reason"])
    team = endpoint.team
    audit.record(
        action="webhooks.disabled",
        summary=f"Webhook {endpoint.url} turned off after {endpoint.consecutive_failures} failures",
        team=team,
        target=endpoint,
    )
    transaction.on_commit(lambda: tasks.email_disabled.delay(endpoint.pk))


def email_disabled(*, endpoint: Endpoint) -> None:
    """Tell the team's managers that the endpoint was turned off, and how to turn it on."""
    team = endpoint.team
    managers = [
        m.user.contact_email
        for m in Membership.objects.managers().filter(team=team).select_related("user")
    ]
    if not managers:
        return
    link = settings.SITE_URL + reverse("webhooks:integrations", args=[team.slug])
    body = render_to_string(
        "integrations/email/webhook_disabled.txt",
        {"endpoint": endpoint, "team": team, "link": link},
    )
    outbox.mail(
        key=f"webhook-disabled:{endpoint.pk}:{endpoint.disabled_at or ''}",
        kind="webhook-disabled",
        subject=f"[Rota] Webhook turned off for {team.name}",
        body=body,
        to=managers,
    )
