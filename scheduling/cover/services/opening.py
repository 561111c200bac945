"""Opening a cover request: "I can't make it" for a seat or a part of it, and asking begins."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.access import is_manager_of
from accounts.models import User
from scheduling.availability.services import add_time_range
from scheduling.cover import asking
from scheduling.cover.errors import CoverError
from scheduling.cover.models import Ask, CoverRequest, CoverSettings
from scheduling.cover.ranking import rank
from scheduling.cover.signals import cover_requested
from scheduling.rotas.models import Seat
from scheduling.rotas.services.periods import describe_seat


def announce(signal, request: CoverRequest, **kwargs: str) -> None:
    """After commit: announce the request to adapters (webhooks, chat)."""
    transaction.on_commit(lambda: signal.send(sender=CoverRequest, request=request, **kwargs))


def describe(request: CoverRequest) -> str:
    """Return the request's seat and window as people read it."""
    tz = request.team.tz
    text = describe_seat(request.seat, tz)
    if request.is_partial:
        a, b = request.starts_at.astimezone(tz), request.ends_at.astimezone(tz)
        text += f" (only {a:%a %-d %b %H:%M}–{b:%a %-d %b %H:%M})"
    return text


def _record_unavailable(
    *, user: User, starts_at: datetime, ends_at: datetime, note: str
) -> list[int]:
    """Mark the person unavailable for the window: one time range per local day in their zone."""
    tz = user.tz
    a, b = starts_at.astimezone(tz), ends_at.astimezone(tz)
    last = (ends_at - timedelta(microseconds=1)).astimezone(tz).date()
    ids, day = [], a.date()
    while day <= last:
        start = a.time().replace(second=0, microsecond=0) if day == a.date() else time(0)
        # An end of 00:00 means midnight at the end of the day (the availability app's rule).
        end = b.time().replace(second=0, microsecond=0) if day == b.date() else time(0)
        if end != time(0) and end <= start:
            day += timedelta(days=1)
            continue
        entry = add_time_range(
            user=user, day=day, start_time=start, end_time=end, kind="unavailable", note=note
        )
        ids.append(entry.pk)
        day += timedelta(days=1)
    return ids


def open_request(
    *,
    seat: Seat,
    user: User,
    reason: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    opened_by: User | None = None,
    now: datetime | None = None,
    mark_unavailable: bool = True,
) -> CoverRequest:
    """Record that the holder cannot make (part of) the seat, and start asking colleagues."""
    now = now or timezone.now()
    seat = Seat.objects.select_related("shift__period__team", "holder").get(pk=seat.pk)
    shift, team = seat.shift, seat.shift.period.team
    if opened_by is not None and opened_by.pk == user.pk:
        opened_by = None
    if opened_by is not None and not is_manager_of(opened_by, team):
        raise CoverError("Only a manager can ask for cover on someone else's behalf.")
    if shift.period.version == 0:
        raise CoverError("This rota is not published yet; tell your manager instead.")
    if seat.holder_id != user.pk:
        raise CoverError(f"{user.name} does not hold this seat.")
    starts_at = starts_at or shift.starts_at
    ends_at = ends_at or shift.ends_at
    if not (shift.starts_at <= starts_at < ends_at <= shift.ends_at):
        raise CoverError(
            "The part you cannot make must lie inside the shift, and end after it starts."
        )
    if ends_at <= now:
        raise CoverError("That part of the shift is already over.")
    if starts_at < now:
        # Already running: look for cover from the next whole minute on.
        starts_at = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
        if starts_at >= ends_at:
            raise CoverError("That part of the shift is already over.")
    settings = CoverSettings.for_team(team)
    with transaction.atomic():
        # The seat's row lock makes two simultaneous "can't make it" clicks open one request.
        Seat.objects.select_for_update().filter(pk=seat.pk).first()
        if (
            CoverRequest.objects.active()
            .filter(seat=seat, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .exists()
        ):
            raise CoverError("There is already an open cover request for this shift.")
        request = CoverRequest(
            team=team,
            seat=seat,
            requested_by=user,
            opened_by=opened_by,
            starts_at=starts_at,
            ends_at=ends_at,
            partial=(starts_at, ends_at) != (shift.starts_at, shift.ends_at),
            reason=reason.strip()[:300],
            created_at=now,
        )
        request.escalate_at = asking.escalate_at_for(request, settings, now)
        # The rest of a partly taken request: the first request already marked the time.
        if mark_unavailable:
            request.unavailable_entries = _record_unavailable(
                user=user,
                starts_at=max(starts_at, now),
                ends_at=ends_at,
                note=f"Can't make it: {describe_seat(seat, user.tz)}",
            )
        request.save()
        ranked = rank(seat=seat, requester=user, starts_at=starts_at, ends_at=ends_at)
        Ask.objects.bulk_create(
            Ask(request=request, candidate=r.user, rank=i, score=r.score, reasons=list(r.reasons))
            for i, r in enumerate(ranked, start=1)
        )
        who = f"{opened_by.name} on behalf of {user.name}" if opened_by else user.name
        audit.record(
            action="cover.opened",
            summary=f"{who}: can't make {describe(request)}"
            + (f" — {request.reason}" if request.reason else "")
            + f"; {len(ranked)} candidate{'s' if len(ranked) != 1 else ''}",
            actor=opened_by or user,
            team=team,
            target=request,
            seat=seat.pk,
            candidates=[r.user.pk for r in ranked],
        )
        announce(cover_requested, request)
        if request.escalate_at <= now:
            asking.escalate(request, why="the shift starts soon", now=now)
        asking.start_asking(request, now=now)
    request.refresh_from_db()
    return request


def cant_make_it(
    *,
    seat: Seat,
    user: User,
    reason: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    opened_by: User | None = None,
) -> CoverRequest:
    """Open a cover request for (part of) the seat, or return the one already open for it."""
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
