"""Team stamps: a random token per team that changes whenever anything its pages show changes.

Pages that cost a lot to build (the period calendar, the dashboard panels, the on-call API)
cache what they render under a key that holds the stamps of the teams it depends on, so a
write anywhere in those teams makes the old entry unreachable. Stamps live in the shared
cache (Redis in production). Each app declares which of its models feed team pages with
``watch``; writes that bypass model signals (``update``, ``bulk_create``) call ``touch``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Field, Model
from django.db.models.signals import post_delete, post_save

from accounts.models import Membership

log = logging.getLogger(__name__)

TeamsOf = Callable[[Any], Iterable[int]]
# Table name → how an instance names its teams; read by the test guard as well.
WATCHED: dict[str, TeamsOf] = {}
# Columns per watched table whose writes change no page (the test guard skips them).
UNSEEN: dict[str, frozenset[str]] = {}
# Called with the team ids of every touch (the test guard listens here).
listeners: list[Callable[[set[int]], None]] = []


def _key(team_id: int) -> str:
    return f"team-stamp:{team_id}"


def _bump(team_ids: set[int]) -> None:
    try:
        cache.set_many({_key(pk): uuid.uuid4().hex for pk in team_ids}, timeout=None)
    except Exception:  # the cache being down must not lose the write that called us
        log.warning("could not renew the stamps of teams %s", sorted(team_ids), exc_info=True)


def teams_of_users(user_ids: Iterable[int]) -> set[int]:
    """Return the teams the users belong to."""
    ids = {pk for pk in user_ids if pk}
    if not ids:
        return set()
    return set(Membership.objects.filter(user_id__in=ids).values_list("team_id", flat=True))


def touch(*, teams: Iterable[int] = (), users: Iterable[int] = ()) -> None:
    """Give the teams (and the teams of the users) new stamps, now and again after commit."""
    ids = {pk for pk in teams if pk} | teams_of_users(users)
    if not ids:
        return
    for listener in listeners:
        listener(ids)
    # Now, so this process (and a test's single transaction) sees the change at once; again after
    # commit, because another process may have cached pre-commit data under the first new stamp.
    _bump(ids)
    transaction.on_commit(lambda: _bump(ids))


def stamps(team_ids: Iterable[int]) -> str:
    """Return one string of the teams' current stamps ("" when parts must not be cached)."""
    if not settings.PAGE_CACHE:
        return ""
    ids = sorted(set(team_ids))
    if not ids:
        return "-"
    try:
        found = cache.get_many([_key(pk) for pk in ids])
        missing = {_key(pk): uuid.uuid4().hex for pk in ids if _key(pk) not in found}
        for key, value in missing.items():
            cache.add(key, value, timeout=None)
        if missing:
            found = cache.get_many([_key(pk) for pk in ids])
    except Exception:
        log.warning("cache unavailable: pages are built without it", exc_info=True)
        return ""
    if len(found) != len(ids):
        return ""
    return ".".join(found[_key(pk)] for pk in ids)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} is not a column, so it cannot be unseen.")
    return field.column


def watch(model: type[Model], teams: TeamsOf, *, unseen: Iterable[str] = ()) -> None:
    """Touch the teams ``teams(instance)`` names whenever an instance is saved or deleted.

    A save that writes only ``unseen`` fields (``update_fields``) changes no page: no touch.
    """
    quiet = frozenset(unseen)

    def changed(sender, instance, update_fields=None, **kwargs) -> None:
        if quiet and update_fields and set(update_fields) <= quiet:
            return
        try:
            ids = set(teams(instance))
        except ObjectDoesNotExist:  # a parent deleted in the same cascade touches for itself
            return
        touch(teams=ids)

    WATCHED[model._meta.db_table] = teams
    UNSEEN[model._meta.db_table] = frozenset(_column(model, f) for f in quiet)
    uid = f"stamps:{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":delete")


def by_team(instance: Any) -> list[int]:
    """Name the instance's own team (``team_id``)."""
    return [instance.team_id]


def by_user(instance: Any) -> set[int]:
    """Name the teams of the instance's person (``user_id``)."""
    return teams_of_users([instance.user_id])
