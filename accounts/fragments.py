"""Cache rendered parts of pages under their teams' stamps and until a moment they depend on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
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


@dataclass
class Part:
    """What a builder returns: the value, and the moment after which it may differ."""

    value: Any
    until: datetime | None = None


def cached(
    key: str, *, teams: Iterable[int], build: Callable[[], Part], now: datetime | None = None
) -> Any:
    """Return the part under ``key`` for the teams' current stamps, building it if needed."""
    now = now or timezone.now()
    stamp = stamps(teams)
    # Callers put a format number in their key: a deploy that changes a part's shape bumps it.
    full_key = f"part:{key}:{stamp}"
    if stamp:
        try:
            hit = cache.get(full_key)
        except Exception:
            log.warning("cache unavailable: building %s", key, exc_info=True)
            hit = None
        if hit is not None and (hit.until is None or now < hit.until):
            return hit.value
    part = build()
    if stamp:
        seconds = MAX_AGE
        if part.until is not None:
            seconds = max(1, min(MAX_AGE, int((part.until - now).total_seconds())))
        try:
            cache.set(full_key, part, timeout=seconds)
        except Exception:
            log.warning("cache unavailable: %s not kept", key, exc_info=True)
    return part.value


def with_csrf(html: str, request: HttpRequest) -> str:
    """Put this request's CSRF token where a cached part has the placeholder."""
    if CSRF_PLACEHOLDER not in html:
        return html
    return html.replace(CSRF_PLACEHOLDER, get_token(request))


def earliest(*moments: datetime | None) -> datetime | None:
    """Return the earliest of the moments given, ignoring None."""
    known = [m for m in moments if m is not None]
    return min(known) if known else None
