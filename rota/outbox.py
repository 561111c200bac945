"""The email outbox: every email is a row first, then sent by a worker, retried with back-off.

``queue`` writes rows (in the caller's transaction) and enqueues their delivery after commit;
``deliver`` claims one row race-free and sends it; ``sweep`` (beat, each minute) sends what
was not enqueued, whose claim expired (a killed worker) or whose back-off ended.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from rota import queue as jobs
from rota import tasks
from rota.models import OutboundEmail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12  # with the back-off below: about a day and a half of trying
MAX_BACKOFF_MINUTES = 240
Status = OutboundEmail.Status


def backoff(attempts: int) -> timedelta:
    """Return the wait after the n-th failure: 1, 2, 4 … 240 minutes."""
    return timedelta(minutes=min(MAX_BACKOFF_MINUTES, 2 ** max(0, attempts - 1)))


def _row(key: str, kind: str, message: EmailMessage, now: datetime) -> OutboundEmail:
    return OutboundEmail(
        key=key[:200],
        kind=kind,
        to=list(message.to),
        subject=message.subject[:500],
        body=str(message.body),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        alternatives=[list(a) for a in getattr(message, "alternatives", [])],
        headers=dict(message.extra_headers),
        next_attempt_at=now,
    )


def queue(messages: Iterable[tuple[str, EmailMessage]], *, kind: str) -> list[int]:
    """Write one row per (key, message) not written before; send them after commit."""
    now = timezone.now()
    created = []
    for key, message in messages:
        if not message.to:
            continue
        try:
            with transaction.atomic():
                row = _row(key, kind, message, now)
                row.save()
        except IntegrityError:
            continue  # written before: the same email is never sent twice
        created.append(row.pk)
    for pk in created:
        jobs.after_commit(tasks.send_email, pk)
    return created


def mail(
    *, key: str, kind: str, subject: str, body: str, to: list[str], headers: dict | None = None
) -> list[int]:
    """Queue one plain-text email (send_mail's arguments, plus its idempotency key)."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[a for a in to if a],
        headers=headers,
    )
    return queue([(key, message)], kind=kind)


def message_of(row: OutboundEmail) -> EmailMultiAlternatives:
    """Build the email a row describes; its Message-ID comes from the key, for dedupe."""
    domain = parseaddr(row.from_email or settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    digest = hashlib.sha256(row.key.encode()).hexdigest()[:32]
    # One Message-ID per key: a copy re-sent after a crash is recognisable as the same mail.
    headers = {"Message-ID": f"<{digest}@{domain or 'rota'}>", **row.headers}
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email or settings.DEFAULT_FROM_EMAIL,
        to=row.to,
        headers=headers,
    )
    for content, mimetype in row.alternatives:
        message.attach_alternative(content, mimetype)
    return message


def claim(pk: int, now: datetime) -> bool:
    """Take the row for sending, race-free; False when it is sent, claimed or not yet due."""
    until = now + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    due = Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, claimed_until__lt=now
    )
    return bool(
        OutboundEmail.objects.filter(due, pk=pk).update(status=Status.SENDING, claimed_until=until)
    )


def deliver(pk: int) -> str:
    """Send one row if it is due; return its status afterwards ("" when it is gone)."""
    now = timezone.now()
    if not claim(pk, now):
        return OutboundEmail.objects.filter(pk=pk).values_list("status", flat=True).first() or ""
    row = OutboundEmail.objects.get(pk=pk)
    try:
        message_of(row).send()
    except Exception as error:  # SMTP refused, timed out, DNS: try again later
        attempts = row.attempts + 1
        status = Status.FAILED if attempts >= MAX_ATTEMPTS else Status.PENDING
        log.warning("Email %s not sent (attempt %s): %s", row.key, attempts, error)
        OutboundEmail.objects.filter(pk=pk, status=Status.SENDING).update(
            status=status,
            attempts=attempts,
            next_attempt_at=now + backoff(attempts),
            claimed_until=None,
            last_error=f"{error.__class__.__name__}: {error}"[:500],
        )
        return status
    OutboundEmail.objects.filter(pk=pk).update(
        status=Status.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return Status.SENT


def due_ids(now: datetime | None = None, limit: int = 500) -> list[int]:
    """Return rows to send now: pending and due, or claimed by a worker that did not finish."""
    now = now or timezone.now()
    return list(
        OutboundEmail.objects.filter(
            Q(status=Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Status.SENDING, claimed_until__lt=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def sweep() -> int:
    """Enqueue every due row; return how many."""
    ids = due_ids()
    for pk in ids:
        jobs.enqueue(tasks.send_email, pk)
    return len(ids)


def pending_kinds(kind_prefix: str) -> dict[str, int]:
    """Return how many emails whose key starts with the prefix are not sent yet, per status."""
    rows = OutboundEmail.objects.filter(key__startswith=kind_prefix).exclude(status=Status.SENT)
    counts: dict[str, int] = {}
    for status in rows.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts
