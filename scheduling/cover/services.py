"""Cover requests: open ("I can't make it"), agree, decline, assign, withdraw and undo.

Asking, timeouts and escalation live in asking.py; swaps in swaps.py; ranking in ranking.py.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.access import is_manager_of
from accounts.models import User
from scheduling.availability.models import AvailabilityEntry
from scheduling.availability.services import add_time_range
from scheduling.cover import asking, tasks
from scheduling.cover.errors import AlreadyCovered, AskClosed, CoverError, NotFree
from scheduling.cover.models import ACTIVE, Ask, AskState, CoverRequest, CoverSettings, State
from scheduling.cover.ranking import busy_holders, rank
from scheduling.cover.signals import cover_requested, cover_resolved
from scheduling.rotas.errors import RotaError
from scheduling.rotas.models import Seat
from scheduling.rotas.services.changes import reassign_seat, split_seat_for_cover
from scheduling.rotas.services.periods import describe_seat

__all__ = [
    "AlreadyCovered",
    "AskClosed",
    "CoverError",
    "NotFree",
    "agree",
    "assign",
    "decline",
    "open_request",
    "undo",
    "withdraw",
]


def _on_commit(task, *args) -> None:
    """Write the task's emails to the outbox in this transaction; they are sent after commit."""
    task.run(*args)


def _send_on_commit(signal, request: CoverRequest, **kwargs: str) -> None:
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
        _send_on_commit(cover_requested, request)
        if request.escalate_at <= now:
            asking.escalate(request, why="the shift starts soon", now=now)
        asking.start_asking(request, now=now)
    request.refresh_from_db()
    return request


def _cover(
    *, request_id: int, user: User, by: User, ask: Ask | None, now: datetime
) -> CoverRequest:
    """Claim the request for user (race-free) and move the seat; AlreadyCovered if too late."""
    with transaction.atomic():
        # The claim: only one conditional update can turn an active request into a covered one.
        claimed = CoverRequest.objects.filter(pk=request_id, state__in=ACTIVE).update(
            state=State.COVERED, covered_by=user, resolved_at=now
        )
        if not claimed:
            raise AlreadyCovered()
        request = CoverRequest.objects.select_related("team", "seat__shift", "requested_by").get(
            pk=request_id
        )
        seat = request.seat
        if seat.holder_id != request.requested_by_id:
            raise CoverError(
                "This seat changed hands since the request was opened; ask your manager."
            )
        if user.pk in busy_holders(
            team_id=request.team_id, starts_at=request.starts_at, ends_at=request.ends_at
        ):
            raise NotFree(f"{user.name} is already on call during this shift.")
        if ask is not None and not Ask.objects.filter(
            pk=ask.pk, state__in=(AskState.ASKED, AskState.EXPIRED)
        ).update(state=AskState.AGREED, answered_at=now):
            raise AskClosed("This question was already answered.")
        if ask is None:
            request.asks.filter(
                candidate=user, state__in=(AskState.ASKED, AskState.PENDING, AskState.EXPIRED)
            ).update(state=AskState.AGREED, answered_at=now)
        try:
            if request.is_partial:
                _, covered_seat = split_seat_for_cover(
                    seat=seat,
                    starts_at=request.starts_at,
                    ends_at=request.ends_at,
                    new_holder=user,
                    by=by,
                )
            else:
                reassign_seat(
                    seat=seat,
                    new_holder=user,
                    by=by,
                    note=f"Cover: {user.name} for {request.requested_by.name}",
                )
                covered_seat = seat
        except RotaError as error:
            raise CoverError(str(error)) from error
        CoverRequest.objects.filter(pk=request.pk).update(covered_seat=covered_seat)
        request.covered_seat = covered_seat
        asking.supersede_open_asks(request, now=now)
        if ask is not None:
            assigned = f"{user.name} agreed"
        elif by.pk == user.pk:
            assigned = f"{user.name} took the shift"  # an override without a manager
        else:
            assigned = f"{by.name} assigned {user.name}"
        audit.record(
            action="cover.covered",
            summary=f"{assigned} to cover {describe(request)} for {request.requested_by.name}",
            actor=by,
            team=request.team,
            target=request,
            covered_by=user.pk,
            seat=covered_seat.pk,
        )
        _on_commit(tasks.send_covered, request.pk)
        _send_on_commit(cover_resolved, request, outcome="covered" if ask else "assigned")
    return request


def agree(*, ask: Ask, now: datetime | None = None) -> CoverRequest:
    """The asked person agrees: the first agree wins; later ones raise AlreadyCovered."""
    return _cover(
        request_id=ask.request_id,
        user=ask.candidate,
        by=ask.candidate,
        ask=ask,
        now=now or timezone.now(),
    )


def assign(
    *, request: CoverRequest, user: User, by: User, now: datetime | None = None
) -> CoverRequest:
    """A manager puts someone in the seat of an active request."""
    if not is_manager_of(by, request.team):
        raise CoverError("Only a manager can assign cover.")
    if user.pk == request.requested_by_id:
        raise CoverError(f"{user.name} asked for cover; pick someone else.")
    return _cover(request_id=request.pk, user=user, by=by, ask=None, now=now or timezone.now())


def decline(*, ask: Ask, now: datetime | None = None) -> Ask:
    """The asked person declines: record it and ask the next candidate at once."""
    now = now or timezone.now()
    with transaction.atomic():
        # Lock order everywhere: the request row first, then its asks (an agree does the same).
        CoverRequest.objects.select_for_update().filter(pk=ask.request_id).first()
        if not Ask.objects.filter(pk=ask.pk, state__in=(AskState.ASKED, AskState.EXPIRED)).update(
            state=AskState.DECLINED, answered_at=now
        ):
            raise AskClosed("This question was already answered.")
        ask.refresh_from_db()
        request = ask.request
        audit.record(
            action="cover.declined",
            summary=f"{ask.candidate.name} declined to cover {describe(request)}",
            actor=ask.candidate,
            team=request.team,
            target=request,
            ask=ask.pk,
        )
        if request.state in ACTIVE:
            asking.ask_next(request, now=now)
    return ask


def withdraw(*, request: CoverRequest, by: User, now: datetime | None = None) -> CoverRequest:
    """The requester (or a manager) no longer needs cover: close the request and its questions."""
    now = now or timezone.now()
    if by.pk != request.requested_by_id and not is_manager_of(by, request.team):
        raise CoverError("Only the person who asked, or a manager, can withdraw this request.")
    with transaction.atomic():
        if not CoverRequest.objects.filter(pk=request.pk, state__in=ACTIVE).update(
            state=State.WITHDRAWN, resolved_at=now
        ):
            raise CoverError("This request is no longer open.")
        request.refresh_from_db()
        asking.supersede_open_asks(request, now=now)
        _forget_unavailable(request)
        audit.record(
            action="cover.withdrawn",
            summary=f"{by.name} withdrew the cover request for {describe(request)}",
            actor=by,
            team=request.team,
            target=request,
        )
        _send_on_commit(cover_resolved, request, outcome="withdrawn")
    return request


def undo(*, request: CoverRequest, by: User, now: datetime | None = None) -> CoverRequest:
    """A manager gives a covered seat back to the requester, before it starts."""
    now = now or timezone.now()
    if not is_manager_of(by, request.team):
        raise CoverError("Only a manager can undo a cover.")
    if request.starts_at <= now:
        raise CoverError("The covered shift has started; it can no longer be undone.")
    with transaction.atomic():
        if not CoverRequest.objects.filter(pk=request.pk, state=State.COVERED).update(
            state=State.UNDONE, resolved_at=now
        ):
            raise CoverError("Only a covered request can be undone.")
        request.refresh_from_db()
        seat = request.covered_seat
        if seat is None or seat.holder_id != request.covered_by_id:
            raise CoverError("The seat changed hands since the cover; edit the rota instead.")
        try:
            reassign_seat(seat=seat, new_holder=request.requested_by, by=by, note="Cover undone")
        except RotaError as error:
            raise CoverError(str(error)) from error
        _forget_unavailable(request)
        audit.record(
            action="cover.undone",
            summary=f"{by.name} undid the cover: {request.requested_by.name} holds "
            f"{describe(request)} again",
            actor=by,
            team=request.team,
            target=request,
        )
        _on_commit(tasks.send_undone, request.pk)
    return request


def _forget_unavailable(request: CoverRequest) -> None:
    AvailabilityEntry.objects.filter(
        pk__in=request.unavailable_entries, user=request.requested_by
    ).delete()


def update_settings(*, settings: CoverSettings, values: dict, by: User) -> CoverSettings:
    """Save a team's cover settings."""
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    audit.record(
        action="cover.settings_changed",
        summary=f"{by.name} changed how {settings.team.name} looks for cover "
        f"({settings.get_mode_display()})",
        actor=by,
        team=settings.team,
        target=settings,
        **{k: v for k, v in values.items()},
    )
    return settings


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
