"""Change published holders outside a publish: move a seat, or split it for a partial cover.

Both take the period's row lock (like publishing and seat edits), record a new RotaVersion and
write SeatChange rows in the same transaction, and announce them on commit, so calendars follow.

Splitting keeps the original Shift and Seat rows as the FIRST part and adds new rows for the
others: seat ids stay stable (calendar entries, cover requests and the outbox refer to them) and
nothing is deleted, so no SeatChange row is lost through a cascade. Calendars see:

- the original seats, now shorter: SeatChange(old=holder, new=holder) — same person, new times
  (or old=requester, new=cover when the first part is the covered one);
- the new seats: SeatChange(old=None, new=holder) — new entries.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from accounts import audit
from accounts.models import Membership, User
from scheduling.rotas.errors import NotAMember, WrongState
from scheduling.rotas.models import RotaPeriod, RotaVersion, Seat, SeatChange, Shift
from scheduling.rotas.services.periods import describe_seat
from scheduling.rotas.services.publishing import _announce, _new_version


def _lock(seat: Seat) -> tuple[RotaPeriod, Seat]:
    """Lock the seat's period and return it with a fresh copy of the seat."""
    period = (
        RotaPeriod.objects.select_for_update().select_related("team").get(pk=seat.shift.period_id)
    )
    seat = Seat.objects.select_related("shift", "holder").get(pk=seat.pk)
    if period.version == 0:
        raise WrongState("This rota is not published yet; change the draft instead.")
    return period, seat


def _check_member(period: RotaPeriod, user: User) -> None:
    if not Membership.objects.filter(team_id=period.team_id, user=user).exists():
        raise NotAMember(f"{user.name} is not a member of {period.team.name}.")


def reassign_seats(
    *,
    moves: list[tuple[Seat, User]],
    by: User,
    reason: str = SeatChange.Reason.COVER,
    note: str = "",
) -> RotaVersion:
    """Give each seat to its new holder as one new version (all seats of one period)."""
    if not moves:
        raise WrongState("Nothing to change.")
    with transaction.atomic():
        period, _ = _lock(moves[0][0])
        changes: list[SeatChange] = []
        fresh: list[tuple[Seat, User, int | None]] = []
        for seat, new_holder in moves:
            seat = Seat.objects.select_related("shift").get(pk=seat.pk)
            if seat.shift.period_id != period.pk:
                raise WrongState("All seats of one change must belong to one period.")
            _check_member(period, new_holder)
            fresh.append((seat, new_holder, seat.holder_id))
            seat.holder = new_holder
            seat.proposed_holder = new_holder
            seat.locked = True
            seat.version += 1
            seat.save(
                update_fields=["holder", "proposed_holder", "locked", "updated_at", "version"]
            )
        version = _new_version(period, by, note or f"{reason}: {len(moves)} seat(s)")
        for seat, new_holder, old in fresh:
            if old == new_holder.pk:
                continue
            changes.append(
                SeatChange.objects.create(
                    seat=seat,
                    old_holder_id=old,
                    new_holder=new_holder,
                    version=version.number,
                    reason=reason,
                )
            )
        tz = period.team.tz
        names: dict[int | None, str] = {
            u.pk: u.name for u in User.objects.filter(pk__in=[o for _, _, o in fresh if o])
        }
        audit.record(
            action="rota.reassigned",
            summary=f"{by.name} moved "
            + "; ".join(
                f"{describe_seat(s, tz)} from {names.get(o, 'nobody')} to {u.name}"
                for s, u, o in fresh
            )
            + f" (version {version.number})",
            actor=by,
            team=period.team,
            target=fresh[0][0],
            version=version.number,
            reason=reason,
            seats=[s.pk for s, _, _ in fresh],
        )
        # A cover tells everyone concerned itself; other moves get the rota's version email.
        _announce(changes, version, email=reason != SeatChange.Reason.COVER)
    return version


def reassign_seat(
    *, seat: Seat, new_holder: User, by: User, reason: str = SeatChange.Reason.COVER, note: str = ""
) -> RotaVersion:
    """Give a published seat to someone else as a new rota version."""
    return reassign_seats(moves=[(seat, new_holder)], by=by, reason=reason, note=note)


def split_seat_for_cover(
    *, seat: Seat, starts_at: datetime, ends_at: datetime, new_holder: User, by: User
) -> tuple[RotaVersion, Seat]:
    """Split the seat's shift at the window and give the window's part to new_holder."""
    with transaction.atomic():
        period, seat = _lock(seat)
        _check_member(period, new_holder)
        shift = Shift.objects.get(pk=seat.shift_id)
        start, end = shift.starts_at, shift.ends_at
        if not (start <= starts_at < ends_at <= end):
            raise WrongState("The window must lie inside the shift.")
        if (starts_at, ends_at) == (start, end):
            raise WrongState("That is the whole shift; move the seat instead of splitting it.")
        siblings = list(shift.seats.select_related("holder").order_by("role"))
        bounds = (start, starts_at, ends_at, end)
        # Up to three parts: [start, a), [a, b), [b, end); empty ones at either edge drop out.
        parts = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if a < b]
        covered_part = (starts_at, ends_at)
        # The original shift keeps the first part; later parts are new shifts with copied seats.
        # Each part carries its share of the shift's weight, so load and reports stay true.
        total = (end - start).total_seconds()

        def share(a: datetime, b: datetime) -> float:
            return round(shift.weight * (b - a).total_seconds() / total, 4)

        def part_of(a: datetime, b: datetime) -> float:
            return round(shift.share * (b - a).total_seconds() / total, 6)

        Shift.objects.filter(pk=shift.pk).update(
            ends_at=parts[0][1], weight=share(*parts[0]), share=part_of(*parts[0])
        )
        version_changes: list[tuple[Seat, int | None, int | None]] = []
        covered_seat: Seat | None = None
        for sibling in siblings:
            is_target = sibling.pk == seat.pk
            if is_target and parts[0] == covered_part:
                old = sibling.holder_id
                Seat.objects.filter(pk=sibling.pk).update(
                    holder=new_holder, proposed_holder=new_holder, locked=True
                )
                covered_seat = sibling
                version_changes.append((sibling, old, new_holder.pk))
            elif sibling.holder_id is not None:
                # Same holder, shorter times: calendars update the entry in place.
                version_changes.append((sibling, sibling.holder_id, sibling.holder_id))
        for a, b in parts[1:]:
            part = Shift.objects.create(
                period_id=shift.period_id,
                team_id=shift.team_id,
                starts_at=a,
                ends_at=b,
                label=shift.label,
                weight=share(a, b),
                share=part_of(a, b),
            )
            for sibling in siblings:
                covered = sibling.pk == seat.pk and (a, b) == covered_part
                holder_id = new_holder.pk if covered else sibling.holder_id
                copy = Seat.objects.create(
                    shift=part,
                    role=sibling.role,
                    holder_id=holder_id,
                    proposed_holder_id=new_holder.pk if covered else sibling.proposed_holder_id,
                    locked=True if covered else sibling.locked,
                )
                if covered:
                    covered_seat = copy
                if holder_id is not None:
                    version_changes.append((copy, None, holder_id))
        tz = period.team.tz
        version = _new_version(
            period, by, f"Split {describe_seat(seat, tz)} for a cover by {new_holder.name}"
        )
        changes = SeatChange.objects.bulk_create(
            SeatChange(
                seat=s,
                old_holder_id=old,
                new_holder_id=new,
                version=version.number,
                reason=SeatChange.Reason.COVER,
            )
            for s, old, new in version_changes
        )
        audit.record(
            action="rota.split_for_cover",
            summary=f"{by.name} split {describe_seat(seat, tz)} into {len(parts)} parts; "
            f"{new_holder.name} covers {starts_at.astimezone(tz):%a %-d %b %H:%M}–"
            f"{ends_at.astimezone(tz):%a %-d %b %H:%M} (version {version.number})",
            actor=by,
            team=period.team,
            target=seat,
            version=version.number,
            parts=[[a.isoformat(), b.isoformat()] for a, b in parts],
            covered_seat=covered_seat.pk if covered_seat else None,
        )
        _announce(changes, version, email=False)
    assert covered_seat is not None
    return version, covered_seat


def split_for_cover(
    *, seat: Seat, starts_at: datetime, ends_at: datetime, new_holder: User, by: User
) -> RotaVersion:
    """Split the seat's shift at the window and give the window's part to new_holder."""
    return split_seat_for_cover(
        seat=seat, starts_at=starts_at, ends_at=ends_at, new_holder=new_holder, by=by
    )[0]
