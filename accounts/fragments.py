"""Cache rendered parts of pages under their teams' stamps and until a moment they depend on."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from accounts.stamps import stamps

log = logging.getLogger(__name__)

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
    until = part.until.timestamp() if part.until is not None else None
    entry = {"value": plain(part.value), "until": until}
    _safe(lambda: cache.set(full_key, entry, timeout=seconds))
    return entry["value"]  # the same plain value a hit returns


def plain(value: Any) -> Any:
    """Return the value as plain strings, numbers, lists and dicts, or raise TypeError.

    What is cached must read the same after any deploy: no model instances, no classes of ours.
    """
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, str):  # SafeString and friends: the text, as a plain str
        return str.__str__(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict) and all(type(key) is str for key in value):
        return {key: plain(item) for key, item in value.items()}
    raise TypeError(f"a cached part holds only plain values, not {type(value).__name__}")


def _safe(action: Callable[[], Any]) -> Any:
    """Run a cache call; a cache that is down means building without it (None)."""
    try:
        return action()
    except Exception:
        log.warning("cache unavailable: building page parts without it", exc_info=True)
        return None


def _fresh(full_key: str, now: datetime) -> Part | None:
    hit = _safe(lambda: cache.get(full_key))
    if not isinstance(hit, dict) or "value" not in hit:
        return None  # missing, or written by an older release
    until = hit["until"]
    if until is not None and now.timestamp() >= until:
        return None
    return Part(hit["value"], None if until is None else datetime.fromtimestamp(until, UTC))


def _wait_for(full_key: str, now: datetime) -> Part | None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        hit = _fresh(full_key, now)
        if hit is not None:
            return hit
    return None


_FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'\b(method|id)="([^"]*)"', re.IGNORECASE)


def post_form_ids(html: str) -> list[str]:
    """Return the ids of the POST forms in a part; a POST form without an id is an error.

    A cached part holds no CSRF token: the page writes each form's token outside the part, as
    ``<input name="csrfmiddlewaretoken" form="ID">``, which needs the form's id.
    """
    ids = []
    for tag in _FORM.findall(html):
        attributes = {name.lower(): value for name, value in _ATTRIBUTE.findall(tag)}
        if attributes.get("method", "get").lower() != "post":
            continue
        if not attributes.get("id"):
            raise ValueError(f"a POST form in a cached part needs an id: {tag}")
        ids.append(attributes["id"])
    return ids


def next_midnight(tz, now: datetime | None = None) -> datetime:
    """Return when the next day starts in the zone."""
    today = (now or timezone.now()).astimezone(tz).date()
    return datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=tz)


def earliest(*moments: datetime | None) -> datetime | None:
    """Return the earliest of the moments given, ignoring None."""
    known = [m for m in moments if m is not None]
    return min(known) if known else None
