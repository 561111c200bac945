"""Turn rota changes (the SeatChange outbox) into calendar entries and deliveries, once each."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from calendars import content, tasks
from calendars.models import (
    CalendarEntry,
    CalendarPreferences,
    Channel,
    Delivery,
    EntryStatus,
    ProcessedChange,
    PushState,
    PushTarget,
)
from rota.uids import seat_event_uid
from scheduling.rotas.models import Seat, SeatChange, Shift

log = logging.getLogger(__name__)
SWEEP_BATCH = 500


def entry_uid(*, seat_id: int, user_id: int) -> str:
    """Return the stable UID of a person's event for a seat."""
    return seat_event_uid(seat_id=seat_id, user_id=user_id)


def process_change(*, change_id: int) -> bool:
    """Apply one SeatChange to the calendars exactly once; False when it was already applied."""
    with transaction.atomic():
        try:
            # The claim row commits with the entries: a crash undoes both, a repeat fails here.
            with transaction.atomic():
                ProcessedChange.objects.create(change_id=change_id)
        except IntegrityError:
            return False
        change = SeatChange.objects.select_related("seat").filter(pk=change_id).first()
        if change is None:
            return False
        users = sync_shifts(shift_ids=[change.seat.shift_id], at=change.created_at)
        transaction.on_commit(lambda: enqueue_deliveries(users))
    return True


def unprocessed_changes(limit: int = SWEEP_BATCH) -> list[int]:
    """Return the ids of SeatChanges no worker has applied yet, oldest first."""
    return list(
        SeatChange.objects.filter(calendar_processed__isnull=True)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def sync_shifts(*, shift_ids: Iterable[int], at: datetime) -> set[int]:
    """Bring these shifts' entries in line with their seats; return whose entries changed."""
    shift_ids = list(shift_ids)
    # Lock the shifts so two workers reconciling the same shift queue instead of racing.
    list(Shift.objects.select_for_update().filter(pk__in=shift_ids).values_list("pk", flat=True))
    seats = list(
        Seat.objects.filter(shift_id__in=shift_ids).select_related("shift__team", "holder")
    )
    latest = dict(
        SeatChange.objects.filter(seat__shift_id__in=shift_ids)
        .values("seat__shift_id")
        .annotate(last=Max("created_at"))
        .values_list("seat__shift_id", "last")
    )
    entries = {
        (e.user_id, e.seat_id): e
        for e in CalendarEntry.objects.filter(seat__shift_id__in=shift_ids).select_related(
            "seat__shift__team"
        )
    }
    holders = {s.holder_id for s in seats if s.holder_id}
    context = content.load_context(
        shift_ids, {s.shift.team_id for s in seats}, holders | {u for u, _ in entries}
    )
    changed: list[CalendarEntry] = []
    wanted: set[tuple[int, int]] = set()
    for seat in seats:
        if seat.holder_id is None:
            continue
        key = (seat.holder_id, seat.pk)
        wanted.add(key)
        when = max(latest.get(seat.shift_id, at), at)
        entry = entries.get(key)
        print_ = _fingerprint(seat, seat.holder_id, context, cancelled=False)
        if entry is None:
            entry = CalendarEntry(
                user_id=seat.holder_id,
                seat=seat,
                uid=entry_uid(seat_id=seat.pk, user_id=seat.holder_id),
                sequence=0,
                fingerprint=print_,
                created_at=when,
                changed_at=when,
            )
            changed.append(entry)
        elif entry.is_cancelled or entry.fingerprint != print_:
            _bump(entry, print_, when, EntryStatus.CONFIRMED)
            changed.append(entry)
    for key, entry in entries.items():
        if key in wanted or entry.is_cancelled:
            continue
        when = max(latest.get(entry.seat.shift_id, at), at)
        _bump(
            entry,
            _fingerprint(entry.seat, entry.user_id, context, cancelled=True),
            when,
            EntryStatus.CANCELLED,
        )
        changed.append(entry)
    _save(changed)
    mark_pending(changed)
    return {entry.user_id for entry in changed}


def _fingerprint(seat: Seat, user_id: int, context: content.Context, *, cancelled: bool) -> str:
    return content.fingerprint(content.SeatRow.of(seat), user_id, context, cancelled=cancelled)


def _bump(entry: CalendarEntry, print_: str, when: datetime, status: str) -> None:
    entry.sequence += 1
    entry.fingerprint = print_
    entry.changed_at = max(when, entry.changed_at)
    entry.status = status
    entry.cancelled_at = entry.changed_at if status == EntryStatus.CANCELLED else None


def _save(entries: list[CalendarEntry]) -> None:
    new = [e for e in entries if e.pk is None]
    old = [e for e in entries if e.pk is not None]
    CalendarEntry.objects.bulk_create(new)
    if new and new[0].pk is None:
        # SQLite before 3.35 and some backends do not return ids from bulk_create.
        ids = dict(
            CalendarEntry.objects.filter(uid__in=[e.uid for e in new]).values_list("uid", "pk")
        )
        for entry in new:
            entry.pk = ids[entry.uid]
    CalendarEntry.objects.bulk_update(
        old, ["sequence", "fingerprint", "changed_at", "status", "cancelled_at"]
    )


def active_channels(user_ids: Iterable[int]) -> dict[int, set[str]]:
    """Return, per person, the channels that get deliveries (a broken CalDAV one still queues)."""
    user_ids = set(user_ids)
    channels: dict[int, set[str]] = {user_id: set() for user_id in user_ids}
    for user_id in CalendarPreferences.objects.filter(
        user_id__in=user_ids, email_invites=True
    ).values_list("user_id", flat=True):
        channels[user_id].add(Channel.EMAIL)
    pushed = (
        PushTarget.objects.filter(user_id__in=user_ids)
        .exclude(state=PushState.REMOVING)  # a calendar being emptied gets nothing new
        .values_list("user_id", flat=True)
    )
    for user_id in pushed:
        channels[user_id].add(Channel.CALDAV)
    return channels


def mark_pending(entries: list[CalendarEntry], only: str | None = None) -> int:
    """Queue the entries' new versions on each channel their person uses; return the count."""
    if not entries:
        return 0
    channels = active_channels(e.user_id for e in entries)
    existing = {
        (d.entry_id, d.channel): d
        for d in Delivery.objects.filter(entry_id__in=[e.pk for e in entries])
    }
    now = timezone.now()
    create, update = [], []
    for entry in entries:
        for channel in channels.get(entry.user_id, ()):
            if only and channel != only:
                continue
            delivery = existing.get((entry.pk, channel))
            if entry.is_cancelled and (delivery is None or delivery.delivered_sequence is None):
                # Never sent, so there is nothing to take back.
                if delivery is not None and delivery.pending:
                    delivery.pending = False
                    update.append(delivery)
                continue
            if delivery is None:
                delivery = Delivery(entry=entry, channel=channel)
                create.append(delivery)
            elif delivery.delivered_sequence == entry.sequence and not delivery.pending:
                continue
            else:
                update.append(delivery)
            delivery.wanted_sequence = entry.sequence
            delivery.pending = True
            delivery.attempts = 0
            delivery.next_attempt_at = now
            delivery.last_error = ""
    Delivery.objects.bulk_create(create)
    Delivery.objects.bulk_update(
        update, ["wanted_sequence", "pending", "attempts", "next_attempt_at", "last_error"]
    )
    return len(create) + len([d for d in update if d.pending])


def queue_all(*, user_id: int, channel: str) -> int:
    """Queue every current and future entry of a person on a channel they just turned on."""
    entries = list(
        CalendarEntry.objects.filter(
            user_id=user_id, status=EntryStatus.CONFIRMED, seat__shift__ends_at__gt=timezone.now()
        )
    )
    count = mark_pending(entries, only=channel)
    transaction.on_commit(lambda: enqueue_deliveries({user_id}))
    return count


def enqueue_deliveries(user_ids: Iterable[int]) -> None:
    """Start the push and email tasks for people with due deliveries (the sweep retries)."""
    user_ids = set(user_ids)
    if not user_ids:
        return
    due = set(
        Delivery.objects.due()
        .filter(entry__user_id__in=user_ids)
        .values_list("entry__user_id", "channel")
        .distinct()
    )
    for user_id, channel in sorted(due):
        task = tasks.push_user if channel == Channel.CALDAV else tasks.send_invitations
        try:
            task.delay(user_id)
        except Exception:  # noqa: BLE001 (a broker outage must not break the rota change)
            log.warning("Could not enqueue %s for user %s; the sweep will retry", channel, user_id)


def sweep() -> tuple[int, int]:
    """Apply unprocessed SeatChanges, then start deliveries that are due; return both counts."""
    applied = sum(process_change(change_id=change_id) for change_id in unprocessed_changes())
    users = set(Delivery.objects.due().values_list("entry__user_id", flat=True).distinct())
    enqueue_deliveries(users)
    return applied, len(users)


def refresh_upcoming(chunk: int = 200) -> set[int]:
    """Re-check every current and future entry (phones, names, escalation contacts may change)."""
    now = timezone.now()
    shift_ids = list(
        CalendarEntry.objects.filter(seat__shift__ends_at__gt=now)
        .order_by()
        .values_list("seat__shift_id", flat=True)
        .distinct()
    )
    changed: set[int] = set()
    for start in range(0, len(shift_ids), chunk):
        with transaction.atomic():
            users = sync_shifts(shift_ids=shift_ids[start : start + chunk], at=now)
            transaction.on_commit(partial(enqueue_deliveries, users))
        changed |= users
    return changed
