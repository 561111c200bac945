"""Overrides without a manager: a colleague takes an open request, whole or a part of it.

A take is an agree the person gives without being asked first: the same claim
(`services.resolving.claim`), the same checks (ranked for the request, free in the window), the
same signals and emails. A manager may put anyone on the request, or on a part of it ("Put Ravi
on 09:00–13:00").
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.access import is_manager_of
from accounts.models import User
from scheduling.cover.errors import AlreadyCovered, CoverError
from scheduling.cover.models import ACTIVE, CoverRequest
from scheduling.cover.services.opening import open_request
from scheduling.cover.services.resolving import claim
from scheduling.rotas.models import Seat


def could_take(*, request: CoverRequest, user: User) -> bool:
    """Tell whether the person may take the request themselves (Rota ranked them for it)."""
    return (
        request.is_active
        and user.pk != request.requested_by_id
        and request.asks.filter(candidate=user).exists()
    )


def take(
    *,
    request: CoverRequest,
    user: User,
    by: User,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    now: datetime | None = None,
) -> CoverRequest:
    """Give the request's window (or the part starts_at–ends_at) to user; race-free, first wins.

    The rest of a partly taken window stays open as new requests of the same holder.
    """
    now = now or timezone.now()
    if by.pk != user.pk and not is_manager_of(by, request.team):
        raise CoverError("Only a manager can put someone else in a shift.")
    if user.pk == request.requested_by_id:
        raise CoverError(f"{user.name} asked for cover; pick someone else.")
    if by.pk == user.pk and not request.asks.filter(candidate=user).exists():
        raise CoverError(
            "Rota did not list you for this shift (a role, rest or availability rule);"
            " ask your manager."
        )
    starts_at = starts_at or request.starts_at
    ends_at = ends_at or request.ends_at
    if (starts_at, ends_at) == (request.starts_at, request.ends_at):
        return claim(request_id=request.pk, user=user, by=by, ask=None, now=now)
    if not (request.starts_at <= starts_at < ends_at <= request.ends_at):
        raise CoverError("The part must lie inside the time asked for, and end after it starts.")
    if ends_at <= now:
        raise CoverError("That part of the shift is already over.")
    with transaction.atomic():
        # The request's row lock: two takes of different parts at once leave one winner.
        locked = CoverRequest.objects.select_for_update().filter(pk=request.pk).first()
        if locked is None or locked.state not in ACTIVE:
            raise AlreadyCovered()
        if (locked.starts_at, locked.ends_at) != (request.starts_at, request.ends_at):
            raise AlreadyCovered("This request changed a moment ago; reload the page.")
        CoverRequest.objects.filter(pk=request.pk).update(
            starts_at=starts_at, ends_at=ends_at, partial=True
        )
        covered = claim(request_id=request.pk, user=user, by=by, ask=None, now=now)
        for a, b in ((request.starts_at, starts_at), (ends_at, request.ends_at)):
            if a < b and b > now:
                _reopen_rest(request=locked, starts_at=a, ends_at=b, now=now)
    return covered


def _reopen_rest(*, request: CoverRequest, starts_at: datetime, ends_at: datetime, now) -> None:
    """Keep looking for cover for a part nobody took: a new request on the seat that holds it."""
    seat = (
        Seat.objects.published()
        .filter(
            shift__team_id=request.team_id,
            role=request.seat.role,
            holder_id=request.requested_by_id,
            shift__starts_at__lte=starts_at,
            shift__ends_at__gte=ends_at,
        )
        .first()
    )
    if seat is None:  # the split left no seat spanning it: nothing more to ask for
        return
    open_request(
        seat=seat,
        user=request.requested_by,
        reason=request.reason,
        starts_at=starts_at,
        ends_at=ends_at,
        opened_by=request.opened_by,
        now=now,
        mark_unavailable=False,
    )
