"""Whether a published version is still being announced (calendars updated, emails sent).

Publishing writes the new holders at once; the calendars and emails follow in tasks. The period
page shows "telling the team" until the last of them, the email task, has run. The mark lives in
the shared cache and expires on its own, so a lost task never leaves the page waiting forever.
"""

from __future__ import annotations

from django.core.cache import cache

EXPIRES = 10 * 60


def _key(period_id: int) -> str:
    return f"rota:announcing:{period_id}"


def start(*, period_id: int, version: int) -> None:
    """Mark the period's version as being announced."""
    cache.set(_key(period_id), version, EXPIRES)


def finish(*, period_id: int) -> None:
    """Mark the announcement done."""
    cache.delete(_key(period_id))


def announcing(*, period_id: int) -> int | None:
    """Return the version number still being announced, or None."""
    return cache.get(_key(period_id))
