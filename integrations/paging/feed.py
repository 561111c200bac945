"""The paging feed: an ICS per team role whose events' SUMMARY is the on-call person's email.

That is the iCal format Grafana OnCall's schedules (and GoAlert, Squadcast …) import: each
event is one on-call period and its summary names the user. Written with calendars' pure ICS
helpers, from published seats only.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.utils import timezone

from calendars import ical
from integrations.paging.models import PagingFeed
from rota.uids import site_host
from scheduling.rotas.models import Seat

PAST = timedelta(days=30)
AHEAD = timedelta(days=366)


def hash_token(token: str) -> str:
    """Return the SHA-256 of a feed token (the lookup key)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """Return a new unguessable feed token."""
    return secrets.token_urlsafe(32)


def feed_for_token(token: str) -> PagingFeed | None:
    """Return the feed behind a token, or None."""
    return PagingFeed.objects.select_related("team").filter(token_hash=hash_token(token)).first()


def render(feed: PagingFeed, *, now: datetime | None = None) -> bytes:
    """Return the feed's calendar: one event per published, held seat of its role."""
    now = now or timezone.now()
    team = feed.team
    seats = (
        Seat.objects.published()
        .filter(
            shift__team=team,
            role=feed.role,
            holder__isnull=False,
            shift__ends_at__gt=now - PAST,
            shift__starts_at__lt=now + AHEAD,
        )
        .select_related("shift", "holder")
        .order_by("shift__starts_at")
    )
    host = site_host()
    events = [
        ical.EventData(
            uid=f"paging-{feed.role}-seat-{seat.pk}@{host}",
            sequence=int(seat.updated_at.timestamp()) // 60 % 2**31,
            start=seat.shift.starts_at,
            end=seat.shift.ends_at,
            tzid=team.timezone,
            summary=seat.holder.email,
            description=f"{team.name} {feed.role} on call: {seat.holder.name}",
            changed_at=seat.updated_at,
            created_at=seat.updated_at,
            transparent=True,
        )
        for seat in seats
    ]
    return ical.feed(events, name=f"{team.name} {feed.role} on call")
