"""Cache rendered parts of pages under their teams' stamps and until a moment they depend on."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone

from accounts.stamps import stamps

log = logging.getLogger(__name__)

# What a cached part holds in place of the CSRF token: it belongs to the request, not the part.
CSRF_PLACEHOLDER = "__rota-csrf-token__"
# Even with nothing changed, a part is rebuilt this often (a restored backup, a lost stamp).
MAX_AGE = 3600
# A builder holds its claim at most this long; others wait for its part at most WAIT_SECONDS.
BUILD_SECONDS = 30
WAIT_SECONDS = 2.0


@dataclass
class Part:
    """What a builder returns: the value, and the moment after which it may differ."""

    value: Any
    until: datetime | None = None


def cached(
    key: str, *, teams: Iterable[int], build: Callable[[], Part], now: datetime | None = None
) -> Any:
    """Return the part under ``key`` for the teams' current stamps, building it if needed.

    One process builds a missing part while the others wait for it (up to WAIT_SECONDS): after
    a write, every reader of the team's page would otherwise build the same part at once.
    """
    now = now or timezone.now()
    stamp = stamps(teams)
    if not stamp:
        return build().value
    # Callers put a format number in their key: a deploy that changes a part's shape bumps it.
    full_key = f"part:{key}:{stamp}"
    hit = _fresh(full_key, now)
    if hit is None and _safe(lambda: cache.add(f"{full_key}:building", 1, BUILD_SECONDS)) is False:
        hit = _wait_for(full_key, now)  # someone else is building it
    if hit is not None:
        return hit.value
    try:
        part = build()
    finally:
        _safe(lambda: cache.delete(f"{full_key}:building"))
    seconds = MAX_AGE
    if part.until is not None:
        seconds = max(1, min(MAX_AGE, int((part.until - now).total_seconds())))
    _safe(lambda: cache.set(full_key, part, timeout=seconds))
    return part.value


def _safe(action: Callable[[], Any]) -> Any:
    """Run a cache call; a cache that is down means building without it (None)."""
    try:
        return action()
    except Exception:
        log.warning("cache unavailable: building page parts without it", exc_info=True)
        return None


def _fresh(full_key: str, now: datetime) -> Part | None:
    hit = _safe(lambda: cache.get(full_key))
    return hit if hit is not None and (hit.until is None or now < hit.until) else None


def _wait_for(full_key: str, now: datetime) -> Part | None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        hit = _fresh(full_key, now)
        if hit is not None:
            return hit
    return None


def with_csrf(html: str, request: HttpRequest) -> str:
    """Put this request's CSRF token where a cached part has the placeholder."""
    if CSRF_PLACEHOLDER not in html:
        return html
    return html.replace(CSRF_PLACEHOLDER, get_token(request))


def next_midnight(tz, now: datetime | None = None) -> datetime:
    """Return when the next day starts in the zone."""
    today = (now or timezone.now()).astimezone(tz).date()
    return datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=tz)


def earliest(*moments: datetime | None) -> datetime | None:
    """Return the earliest of the moments given, ignoring None."""
    known = [m for m in moments if m is not None]
    return min(known) if known else None
