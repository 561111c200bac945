"""Direct swaps: offer my seat in exchange for one of a colleague's; they agree or decline."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import User
from scheduling.cover import tasks
from scheduling.cover.errors import CoverError
from scheduling.cover.models import SwapOffer, SwapState
from scheduling.cover.signals import swap_offered
from scheduling.rotas import problem as problem_builder
from scheduling.rotas.errors import RotaError
from scheduling.rotas.models import RotaPeriod, Seat
from scheduling.rotas.services.changes import reassign_seat, reassign_seats
from scheduling.rotas.services.periods import describe_seat
from scheduling.rotas.services.seats import seat_warnings


def _on_commit(task, *args) -> None:
    """Write the task's emails to the outbox in this transaction; they are sent after commit."""
    task.run(*args)


def swappable_seats(*, seat: Seat, user: User) -> list[Seat]:
    """Return colleagues' future published seats of the same team that could be swapped for mine."""
    return list(
        Seat.objects.published()
        .filter(
            shift__team_id=seat.shift.team_id,
            shift__starts_at__gt=timezone.now(),
            holder__isnull=False,
        )
        .exclude(holder=user)
        .exclude(shift=seat.shift)
        .select_related("shift", "holder")
        .order_by("shift__starts_at", "role")[:200]
    )


def swap_problems(*, mine: Seat, theirs: Seat) -> list[str]:
    """Return the rules the swap would break: eligibility for the other's seat, or rest.

    Availability is not checked: each of the two has agreed to the other's shift.
    """
    return _problems({}, mine, theirs)


def swap_choices(*, seat: Seat, user: User) -> tuple[list[Seat], list[tuple[Seat, list[str]]]]:
    """Split colleagues' seats into swaps that pass every rule and the others, with reasons.

    Each period's problem is built once, so the list costs the same queries however long it is.
    """
    built: dict[int, problem_builder.PeriodProblem] = {}
    allowed, refused = [], []
    for theirs in swappable_seats(seat=seat, user=user):
        problems = _problems(built, seat, theirs)
        if problems:
            refused.append((theirs, problems))
        else:
            allowed.append(theirs)
    return allowed, refused


def _problems(
    built: dict[int, problem_builder.PeriodProblem], mine: Seat, theirs: Seat
) -> list[str]:
    """Check the swap against the period problems in `built` (built on demand, left unchanged)."""
    my_holder, their_holder = mine.holder, theirs.holder
    # Callers pass held seats only: swappable_seats() and the offer's checks exclude empty ones.
    assert my_holder is not None and their_holder is not None
    gets = {mine.pk: their_holder, theirs.pk: my_holder}
    for seat in (mine, theirs):
        period_id = seat.shift.period_id
        if period_id not in built:
            built[period_id] = problem_builder.build(RotaPeriod.objects.get(pk=period_id))
    changed = []
    for pp in {id(p): p for p in built.values()}.values():
        for other in pp.seats:
            if other.pk in gets:  # the rota as it would be after the swap
                changed.append((other, other.proposed_holder_id))
                other.proposed_holder_id = gets[other.pk].pk
    try:
        problems: list[str] = []
        for seat in (mine, theirs):
            pp = built[seat.shift.period_id]
            problems += seat_warnings(pp, seat, gets[seat.pk], availability=False)
        return problems
    finally:
        for other, holder_id in changed:
            other.proposed_holder_id = holder_id


def _refuse_if_broken(mine: Seat, theirs: Seat) -> None:
    problems = swap_problems(mine=mine, theirs=theirs)
    if problems:
        raise CoverError("This swap would break the team's rules: " + " ".join(problems))


def offer_swap(*, from_seat: Seat, to_seat: Seat, by: User, note: str = "") -> SwapOffer:
    """Offer my seat in exchange for a colleague's seat."""
    from_seat = Seat.objects.select_related("shift__team").get(pk=from_seat.pk)
    to_seat = Seat.objects.select_related("shift", "holder").get(pk=to_seat.pk)
    now = timezone.now()
    if from_seat.holder_id != by.pk:
        raise CoverError("You can only offer a seat you hold.")
    colleague = to_seat.holder
    if (
        to_seat.shift.team_id != from_seat.shift.team_id
        or colleague is None
        or colleague.pk == by.pk
    ):
        raise CoverError("Pick a colleague's seat in the same team.")
    if min(from_seat.shift.starts_at, to_seat.shift.starts_at) <= now:
        raise CoverError("Both shifts must still be in the future.")
    _refuse_if_broken(from_seat, to_seat)
    team = from_seat.shift.team
    with transaction.atomic():
        offer = SwapOffer.objects.create(
            team=team,
            from_seat=from_seat,
            to_seat=to_seat,
            offered_by=by,
            offered_to=colleague,
            note=note[:300],
        )
        tz = team.tz
        audit.record(
            action="cover.swap_offered",
            summary=f"{by.name} offered {describe_seat(from_seat, tz)} to {colleague.name} "
            f"in exchange for {describe_seat(to_seat, tz)}",
            actor=by,
            team=team,
            target=offer,
        )
        _on_commit(tasks.send_swap_offer, offer.pk)
        transaction.on_commit(lambda: swap_offered.send(sender=SwapOffer, offer=offer))
    return offer


def answer_swap(
    *, offer: SwapOffer, accept: bool, by: User, now: datetime | None = None
) -> SwapOffer:
    """The colleague accepts (both seats change hands, one new version) or declines."""
    now = now or timezone.now()
    if by.pk != offer.offered_to_id:
        raise CoverError("This offer was made to someone else.")
    with transaction.atomic():
        state = SwapState.ACCEPTED if accept else SwapState.DECLINED
        if not SwapOffer.objects.filter(pk=offer.pk, state=SwapState.OPEN).update(
            state=state, answered_at=now
        ):
            raise CoverError("This offer was already answered or withdrawn.")
        offer.refresh_from_db()
        tz = offer.team.tz
        if accept:
            mine, theirs = offer.from_seat, offer.to_seat
            if mine.holder_id != offer.offered_by_id or theirs.holder_id != offer.offered_to_id:
                raise CoverError(
                    "One of the seats changed hands since the offer; nothing was swapped."
                )
            if min(mine.shift.starts_at, theirs.shift.starts_at) <= now:
                raise CoverError("One of the shifts has started; nothing was swapped.")
            _refuse_if_broken(mine, theirs)  # the rota may have changed since the offer
            note = f"Swap between {offer.offered_by.name} and {offer.offered_to.name}"
            try:
                if mine.shift.period_id == theirs.shift.period_id:
                    reassign_seats(
                        moves=[(mine, offer.offered_to), (theirs, offer.offered_by)],
                        by=by,
                        note=note,
                    )
                else:
                    reassign_seat(seat=mine, new_holder=offer.offered_to, by=by, note=note)
                    reassign_seat(seat=theirs, new_holder=offer.offered_by, by=by, note=note)
            except RotaError as error:
                raise CoverError(str(error)) from error
        audit.record(
            action="cover.swap_accepted" if accept else "cover.swap_declined",
            summary=f"{by.name} {'accepted' if accept else 'declined'} the swap of "
            f"{describe_seat(offer.from_seat, tz)} for {describe_seat(offer.to_seat, tz)}",
            actor=by,
            team=offer.team,
            target=offer,
        )
        _on_commit(tasks.send_swap_answer, offer.pk)
    return offer


def withdraw_swap(*, offer: SwapOffer, by: User) -> SwapOffer:
    """The offerer takes back an unanswered offer."""
    if by.pk != offer.offered_by_id:
        raise CoverError("Only the person who offered can withdraw the offer.")
    if not SwapOffer.objects.filter(pk=offer.pk, state=SwapState.OPEN).update(
        state=SwapState.WITHDRAWN, answered_at=timezone.now()
    ):
        raise CoverError("This offer was already answered or withdrawn.")
    offer.refresh_from_db()
    audit.record(
        action="cover.swap_withdrawn",
        summary=f"{by.name} withdrew a swap offer to {offer.offered_to.name}",
        actor=by,
        team=offer.team,
        target=offer,
    )
    return offer
