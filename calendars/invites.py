"""Email invitations (iTIP): REQUEST for new and changed shifts, CANCEL for removed ones."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from calendars import content
from calendars.ical import EventData, itip
from calendars.models import Channel, Delivery
from calendars.push import backoff, claim_for

log = logging.getLogger(__name__)


class InvitationEmail(EmailMultiAlternatives):
    """A mail whose text/calendar part carries the iTIP method, as Outlook and Gmail expect."""

    def __init__(self, *args, method: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.method = method

    # Django's private hook for building an attachment's MIME part; django-stubs omits it.
    def _create_mime_attachment(self, content_, mimetype):
        if mimetype == "text/calendar":
            part = SafeMIMEText(content_, "calendar", "utf-8")
            part.set_param("method", self.method)
            return part
        return super()._create_mime_attachment(content_, mimetype)  # type: ignore[misc]


def organizer() -> tuple[str, str]:
    """Return (name, address) of the rota's sender, the ORGANIZER of every invitation."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name or "Rota", address


def build_message(data: EventData, user: User) -> InvitationEmail:
    """Return the invitation (or cancellation) mail of one event for its holder."""
    method = "CANCEL" if data.cancelled else "REQUEST"
    body = itip(data, organizer=organizer(), attendee=(user.name, user.contact_email)).decode()
    when = data.start.astimezone(user.tz)
    subject = (
        f"[Rota] Cancelled: {data.summary}, {when:%a} {when.day} {when:%b}"
        if data.cancelled
        else f"[Rota] {data.summary}, {when:%a} {when.day} {when:%b %H:%M}"
        + (" (updated)" if data.sequence else "")
    )
    text = render_to_string(
        "calendars/email/invitation.txt",
        {
            "event": data,
            "user": user,
            "when": when,
            "method": method,
            "home_url": settings.SITE_URL + reverse("calendars:home"),
        },
    )
    message = InvitationEmail(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.contact_email],
        method=method,
    )
    message.attach_alternative(body, "text/calendar")
    return message


def send_pending(*, user: User) -> int:
    """Send each due email delivery of the person; return how many were sent."""
    now = timezone.now()
    due = list(
        Delivery.objects.due(now)
        .filter(channel=Channel.EMAIL, entry__user=user)
        .select_related("entry__seat__shift__team", "entry__user")
        .order_by("entry__seat__shift__starts_at", "id")
    )
    if not due:
        return 0
    context = content.load_context(
        {d.entry.seat.shift_id for d in due}, {d.entry.seat.shift.team_id for d in due}, {user.pk}
    )
    sent = 0
    for delivery in due:
        entry = delivery.entry
        # Claim the delivery for a few minutes (it is not "sent" yet): a second worker skips it,
        # and if this one dies before sending, the claim expires and the sweep sends it.
        claimed = Delivery.objects.filter(
            pk=delivery.pk, pending=True, wanted_sequence=entry.sequence, next_attempt_at__lte=now
        ).update(next_attempt_at=now + claim_for())
        if not claimed:
            continue
        try:
            build_message(content.entry_event(entry, context=context, now=now), user).send()
        except (smtplib.SMTPException, OSError) as error:
            _retry_later(delivery, str(error), now)
            continue
        # Sent: only now is it no longer pending (unless a newer version was queued meanwhile).
        Delivery.objects.filter(pk=delivery.pk).update(
            delivered_sequence=entry.sequence, delivered_at=now, attempts=0, last_error=""
        )
        Delivery.objects.filter(pk=delivery.pk, wanted_sequence=entry.sequence).update(
            pending=False
        )
        sent += 1
    return sent


def _retry_later(delivery: Delivery, message: str, now: datetime) -> None:
    attempts = delivery.attempts + 1
    log.warning("Invitation %s not sent (attempt %s): %s", delivery.pk, attempts, message)
    # Back off unless a newer version was queued meanwhile (which reset it anyway).
    Delivery.objects.filter(
        pk=delivery.pk, pending=True, wanted_sequence=delivery.wanted_sequence
    ).update(
        attempts=attempts,
        next_attempt_at=now + backoff(attempts),
        last_error=message[:500],
    )
