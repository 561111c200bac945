"""Publish a period (a new version) and edit published seats; announce every holder change."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import User
from rota import queue
from scheduling.rotas import progress, tasks
from scheduling.rotas.emails import send_rota_emails
from scheduling.rotas.errors import UnfilledSeats, WrongState
from scheduling.rotas.models import PeriodState, RotaPeriod, RotaVersion, Seat, SeatChange
from scheduling.rotas.services.periods import describe_seat
from scheduling.rotas.signals import seat_changed


def _announce(changes: list[SeatChange], version: RotaVersion, *, email: bool = True) -> None:
    """Write the summary emails to the outbox; after commit, send seat_changed for each change."""
    if email:
        # In this transaction: the emails exist exactly when the version does (the outbox).
        send_rota_emails(version=version, user_ids=sorted(_affected(changes)))

    def send() -> None:
        if email:
            progress.start(period_id=version.period_id, version=version.number)
        for change in changes:
            seat_changed.send(sender=Seat, change=change)
        if email:
            # Queued after the calendars' tasks: the page says "telling the team" until then; a
            # lost task only leaves the mark to expire on its own.
            queue.enqueue(tasks.finish_announcing, version.period_id)

    transaction.on_commit(send)


def _affected(changes: list[SeatChange]) -> set[int]:
    return {u for c in changes for u in (c.old_holder_id, c.new_holder_id) if u is not None}


def _new_version(period: RotaPeriod, by: User, note: str) -> RotaVersion:
    now = timezone.now()
    period.version += 1
    period.state = PeriodState.PUBLISHED
    period.published_at = now
    period.published_by = by
    period.save(update_fields=["version", "state", "published_at", "published_by"])
    snapshot = dict(Seat.objects.filter(shift__period=period).values_list("pk", "holder_id"))
    return RotaVersion.objects.create(
        period=period,
        number=period.version,
        published_by=by,
        published_at=now,
        note=note,
        snapshot={str(k): v for k, v in snapshot.items()},
    )


def publish(
    *, period: RotaPeriod, by: User, confirm_unfilled: bool = False, note: str = ""
) -> RotaVersion | None:
    """Copy proposed holders to holders as a new version; None when nothing changed."""
    with transaction.atomic():
        # The row lock makes concurrent publishes queue: the second finds nothing left to change.
        period = RotaPeriod.objects.select_for_update().select_related("team").get(pk=period.pk)
        if period.state == PeriodState.DRAFT:
            raise WrongState("Open the period for availability before publishing it.")
        seats = list(Seat.objects.filter(shift__period=period).select_related("shift"))
        unfilled = [s for s in seats if s.proposed_holder_id is None]
        if unfilled and not confirm_unfilled:
            raise UnfilledSeats([describe_seat(s, period.team.tz) for s in unfilled])
        changed = [s for s in seats if s.holder_id != s.proposed_holder_id]
        if not changed and period.version > 0:
            return None
        olds = {s.pk: s.holder_id for s in changed}
        for seat in changed:
            seat.holder_id = seat.proposed_holder_id
            seat.version += 1
        Seat.objects.bulk_update(changed, ["holder", "version"])
        version = _new_version(period, by, note)
        changes = SeatChange.objects.bulk_create(
            SeatChange(
                seat=s,
                old_holder_id=olds[s.pk],
                new_holder_id=s.holder_id,
                version=version.number,
                reason=SeatChange.Reason.PUBLISH,
            )
            for s in changed
        )
        audit.record(
            action="rota.published",
            summary=f"{by.name} published {period} as version {version.number} "
            f"({len(changed)} seat change{'s' if len(changed) != 1 else ''},"
            f" {len(unfilled)} empty)",
            actor=by,
            team=period.team,
            target=period,
            version=version.number,
            unfilled=len(unfilled),
        )
        _announce(changes, version)
    return version


def apply_published_edit(*, period: RotaPeriod, seat: Seat, by: User) -> RotaVersion | None:
    """In the caller's transaction: make a published seat's draft holder real, as a new version."""
    if seat.holder_id == seat.proposed_holder_id:
        return None
    old = seat.holder_id
    seat.holder_id = seat.proposed_holder_id
    seat.save(update_fields=["holder", "updated_at"])
    version = _new_version(period, by, note=f"Edited seat {seat.pk}")
    change = SeatChange.objects.create(
        seat=seat,
        old_holder_id=old,
        new_holder_id=seat.holder_id,
        version=version.number,
        reason=SeatChange.Reason.EDIT,
    )
    audit.record(
        action="rota.edited",
        summary=f"{by.name} edited the published rota {period} (version {version.number})",
        actor=by,
        team=period.team,
        target=seat,
        version=version.number,
    )
    _announce([change], version)
    return version
