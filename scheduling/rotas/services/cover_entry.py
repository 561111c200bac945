"""The rota's entry point for "I can't make it": delegates to the cover app."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def cant_make_it(
    *,
    seat: Any,
    user: Any,
    reason: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    opened_by: Any = None,
) -> Any:
    """Record that the holder cannot make (part of) the seat and start looking for cover."""
    # Imported here: the cover app imports the rota app, not the other way round at load time.
    from scheduling.cover.models import CoverRequest
    from scheduling.cover.services import open_request

    # The same "can't make it" can arrive twice (calendar link, then the shift page): reuse it.
    existing = (
        CoverRequest.objects.active()
        .filter(seat=seat, requested_by=user)
        .filter(
            starts_at__lte=starts_at or seat.shift.starts_at,
            ends_at__gte=ends_at or seat.shift.ends_at,
        )
        .first()
    )
    if existing is not None:
        return existing
    return open_request(
        seat=seat,
        user=user,
        reason=reason,
        starts_at=starts_at,
        ends_at=ends_at,
        opened_by=opened_by,
    )
