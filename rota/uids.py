"""The UIDs of the calendar events Rota writes, so importers can recognise and skip them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings

_PATTERN = re.compile(r"^seat-\d+-user-\d+@(?P<host>[^@]+)$")


def site_host() -> str:
    """Return the host part of SITE_URL, the domain of our UIDs."""
    return urlsplit(settings.SITE_URL).hostname or "rota.invalid"


def seat_event_uid(*, seat_id: int, user_id: int) -> str:
    """Return the stable UID of a person's event for a seat."""
    return f"seat-{seat_id}-user-{user_id}@{site_host()}"


def is_rota_event(uid: str) -> bool:
    """Tell whether an event UID is one Rota wrote for this site."""
    match = _PATTERN.match(uid)
    return match is not None and match.group("host") == site_host()
