"""Ending a cover request: agreed, assigned, declined, withdrawn, or undone by a manager."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.access import is_manager_of
from accounts.models import User
from scheduling.availability.models import AvailabilityEntry
from scheduling.cover import asking, tasks
from scheduling.cover.errors import AlreadyCovered, AskClosed, CoverError, NotFree
from scheduling.cover.models import ACTIVE, Ask, AskState, CoverRequest, State
from scheduling.cover.ranking import busy_holders
from scheduling.cover.services.opening import announce, describe
from scheduling.cover.signals import cover_resolved
from scheduling.rotas.errors import RotaError
from scheduling.rotas.services.changes import reassign_seat, split_seat_for_cover


def _on_commit(task, *args) -> None:
    """Write the task's emails to the outbox in this transaction; they are sent after commit."""
    task.run(*args)


def claim(*, request_id: int, user: User, by: User, ask: Ask | None, now: datetime) -> CoverRequest:
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
        announce(cover_resolved, request, outcome="covered" if ask else "assigned")
    return request


def agree(*, ask: Ask, now: datetime | None = None) -> CoverRequest:
    """The asked person agrees: the first agree wins; later ones raise AlreadyCovered."""
    return claim(
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
    return claim(request_id=request.pk, user=user, by=by, ask=None, now=now or timezone.now())


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
        announce(cover_resolved, request, outcome="withdrawn")
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
