"""Assign, clear and lock seats, with warnings computed from the engine's own rules."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import audit
from accounts.models import Membership, User
from scheduling.engine.rules import any_overlap, in_conflict
from scheduling.rotas import problem as problem_builder
from scheduling.rotas.commitments import clashing
from scheduling.rotas.errors import (
    ChangedMeanwhile,
    NeedsConfirmation,
    NotAMember,
    WrongState,
)
from scheduling.rotas.models import PeriodState, RotaPeriod, Seat
from scheduling.rotas.services.periods import describe_seat
from scheduling.rotas.services.publishing import apply_published_edit


def seat_warnings(
    pp: problem_builder.PeriodProblem, seat: Seat, user: User, *, availability: bool = True
) -> list[str]:
    """Return why the person should not take the seat, here or in another team's rota."""
    tz = pp.period.team.tz
    warnings = []
    if not pp.eligible(user.pk, seat):
        warnings.append(
            f"{user.name} is not eligible for the {seat.role} role"
            f" on {pp.seat_dates[seat.pk]:%a %-d %b}."
        )
    slot = pp.problem.slot_by_id[str(seat.pk)]
    own = pp.windows.get(user.pk)
    unavailable = [
        (int(a.timestamp()), int(b.timestamp())) for a, b in (own.unavailable if own else [])
    ]
    if availability and any_overlap(unavailable, slot.start_ts, slot.end_ts):
        warnings.append(f"{user.name} is unavailable during this shift.")
    for c in clashing(
        pp.commitments.get(user.pk, []), seat.shift.starts_at, seat.shift.ends_at, pp.rest
    ):
        overlap = c.starts_at < seat.shift.ends_at and seat.shift.starts_at < c.ends_at
        warnings.append(
            f"{user.name} is on call for {c.team_name} then: {c.describe(tz)}."
            if overlap
            else f"{user.name} is on call for {c.team_name}: {c.describe(tz)}; that breaks the"
            f" {pp.settings.min_rest_hours:g} h rest rule."
        )
    rest = pp.problem.index.rest
    for other in pp.seats:
        if other.pk == seat.pk or other.proposed_holder_id != user.pk:
            continue
        if in_conflict(slot, pp.problem.slot_by_id[str(other.pk)], rest):
            warnings.append(
                f"{user.name} also holds {describe_seat(other, tz)}: "
                f"that breaks the {pp.settings.min_rest_hours:g} h rest rule."
            )
    return warnings


def _locked_period(seat: Seat) -> RotaPeriod:
    # Every seat change takes the period's row lock, so edits and publishes never interleave.
    return (
        RotaPeriod.objects.select_for_update().select_related("team").get(pk=seat.shift.period_id)
    )


def _edit(seat: Seat, expected_version: int | None, **fields) -> None:
    """Write the fields if the seat is still the version the editor saw, else ChangedMeanwhile."""
    rows = Seat.objects.filter(pk=seat.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(**fields, version=F("version") + 1, updated_at=timezone.now()):
        seat.refresh_from_db()
        raise ChangedMeanwhile(
            "Someone else changed this seat meanwhile; nothing was changed. "
            "It is shown as it is now: check it and try again."
        )
    seat.refresh_from_db()


def assign_seat(
    *,
    seat: Seat,
    user: User,
    by: User,
    confirm: bool = False,
    expected_version: int | None = None,
) -> Seat:
    """Put the person in the seat (a manager's choice is locked); warnings need confirm=True."""
    period = seat.shift.period
    if not Membership.objects.filter(team=period.team_id, user=user).exists():
        raise NotAMember(f"{user.name} is not a member of {period.team.name}.")
    warnings = seat_warnings(problem_builder.build(period), seat, user)
    if warnings and not confirm:
        raise NeedsConfirmation(warnings)
    with transaction.atomic():
        period = _locked_period(seat)
        _edit(seat, expected_version, proposed_holder=user, locked=True)
        audit.record(
            action="rota.seat_assigned",
            summary=f"{by.name} put {user.name} in {describe_seat(seat, period.team.tz)}",
            actor=by,
            team=period.team,
            target=seat,
            user=user.pk,
            warnings=warnings,
        )
        if period.state == PeriodState.PUBLISHED:
            apply_published_edit(period=period, seat=seat, by=by)
    return seat


def clear_seat(*, seat: Seat, by: User, expected_version: int | None = None) -> Seat:
    """Empty the seat and unlock it, so the next recommendation may fill it."""
    with transaction.atomic():
        period = _locked_period(seat)
        _edit(seat, expected_version, proposed_holder=None, locked=False)
        audit.record(
            action="rota.seat_cleared",
            summary=f"{by.name} cleared {describe_seat(seat, period.team.tz)}",
            actor=by,
            team=period.team,
            target=seat,
        )
        if period.state == PeriodState.PUBLISHED:
            apply_published_edit(period=period, seat=seat, by=by)
    return seat


def set_locked(*, seat: Seat, locked: bool, by: User, expected_version: int | None = None) -> Seat:
    """Lock a seat (the engine keeps it as fixed) or unlock it."""
    if locked and seat.proposed_holder_id is None:
        raise WrongState("An empty seat cannot be locked; assign someone first.")
    with transaction.atomic():
        period = _locked_period(seat)
        _edit(seat, expected_version, locked=locked)
        audit.record(
            action="rota.seat_locked" if locked else "rota.seat_unlocked",
            summary=f"{by.name} {'locked' if locked else 'unlocked'}"
            f" {describe_seat(seat, period.team.tz)}",
            actor=by,
            team=period.team,
            target=seat,
        )
    return seat
