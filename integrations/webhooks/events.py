"""Turn rota, cover and on-call changes into webhook events and their deliveries, once each.

Each event is keyed by (type, source row): the SeatChange, RotaVersion, Handoff or CoverRequest
that caused it. Emitting twice (the signal and the sweep, or two workers) creates nothing new.
The event and one pending delivery per subscribed endpoint are written in one transaction.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from integrations.webhooks import tasks
from integrations.webhooks.models import Delivery, Endpoint, Event
from scheduling.cover.models import CoverRequest, State
from scheduling.oncall.models import Handoff
from scheduling.rotas.models import RotaVersion, SeatChange

log = logging.getLogger(__name__)
SWEEP_WINDOW = timedelta(days=1)
RESOLVED_OUTCOMES = {State.COVERED: "covered", State.WITHDRAWN: "withdrawn"}


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def _person(user_id: int | None, users: dict[int, User]) -> dict[str, Any] | None:
    user = users.get(user_id) if user_id else None
    if user is None:
        return None
    return {"id": user.pk, "name": user.name, "email": user.email}


def _users(*ids: int | None) -> dict[int, User]:
    return {u.pk: u for u in User.objects.filter(pk__in=[i for i in ids if i])}


def _listened(team_id: int) -> bool:
    return Endpoint.objects.filter(team_id=team_id).exists()


def emit(*, team_id: int, type: str, source_id: int | None, data: dict[str, Any]) -> Event | None:
    """Record the event and a delivery to each subscribed endpoint.

    None if already recorded, or if the team has no endpoint: nobody to tell, and the sweep
    looks only at teams that have one (_missing).
    """
    if not _listened(team_id):
        return None
    payload = {"type": type, "timestamp": _iso(timezone.now()), "data": data}
    try:
        with transaction.atomic():
            event = Event.objects.create(
                team_id=team_id, type=type, source_id=source_id, payload=payload
            )
            deliveries = Delivery.objects.bulk_create(
                Delivery(endpoint=endpoint, event=event)
                for endpoint in Endpoint.objects.subscribed(team_id, type)
            )
    except IntegrityError:
        return None
    for delivery in deliveries:
        transaction.on_commit(partial(tasks.enqueue, delivery.pk))
    return event


def seat_changed(change: SeatChange) -> None:
    """Emit seat.changed for the change and, for a publish, rota.published for its version."""
    change = SeatChange.objects.select_related("seat__shift__period__team").get(pk=change.pk)
    seat, shift = change.seat, change.seat.shift
    period = shift.period
    if not _listened(period.team_id):
        return  # before its payload's queries: a publish is hundreds of seat changes
    users = _users(change.old_holder_id, change.new_holder_id)
    emit(
        team_id=period.team_id,
        type="seat.changed",
        source_id=change.pk,
        data={
            "team": period.team.slug,
            "seat": {"id": seat.pk, "role": seat.role},
            "shift": {
                "id": shift.pk,
                "starts_at": _iso(shift.starts_at),
                "ends_at": _iso(shift.ends_at),
            },
            "previous": _person(change.old_holder_id, users),
            "holder": _person(change.new_holder_id, users),
            "reason": change.reason,
            "version": change.version,
        },
    )
    if change.reason != SeatChange.Reason.PUBLISH:
        return
    version = RotaVersion.objects.filter(period=period, number=change.version).first()
    if (
        version is None
        or Event.objects.filter(type="rota.published", source_id=version.pk).exists()
    ):
        return
    emit(
        team_id=period.team_id,
        type="rota.published",
        source_id=version.pk,
        data={
            "team": period.team.slug,
            "period": {
                "id": period.pk,
                "starts_on": period.starts_on.isoformat(),
                "ends_on": period.ends_on.isoformat(),
            },
            "version": version.number,
            "published_at": _iso(version.published_at),
            "changed_seats": SeatChange.objects.filter(
                seat__shift__period=period, version=version.number
            ).count(),
        },
    )


def handoff(row: Handoff) -> None:
    """Emit oncall.changed for a recorded handoff."""
    users = _users(row.previous_user_id, row.user_id)
    emit(
        team_id=row.team_id,
        type="oncall.changed",
        source_id=row.pk,
        data={
            "team": row.team.slug,
            "role": row.role,
            "at": _iso(row.at),
            "shift_id": row.shift_id,
            "previous": _person(row.previous_user_id, users),
            "holder": _person(row.user_id, users),
        },
    )


def _cover_data(request: CoverRequest) -> dict[str, Any]:
    users = _users(request.requested_by_id, request.covered_by_id)
    return {
        "team": request.team.slug,
        "request": {
            "id": request.pk,
            "seat_id": request.seat_id,
            "role": request.seat.role,
            "starts_at": _iso(request.starts_at),
            "ends_at": _iso(request.ends_at),
            "partial": request.partial,
            "state": request.state,
        },
        "requested_by": _person(request.requested_by_id, users),
    }


def cover_requested(request: CoverRequest) -> None:
    """Emit cover.requested."""
    request = CoverRequest.objects.select_related("team", "seat").get(pk=request.pk)
    emit(
        team_id=request.team_id,
        type="cover.requested",
        source_id=request.pk,
        data=_cover_data(request),
    )


def cover_resolved(request: CoverRequest, outcome: str) -> None:
    """Emit cover.resolved with its outcome and who covers."""
    request = CoverRequest.objects.select_related("team", "seat").get(pk=request.pk)
    data = _cover_data(request)
    data["outcome"] = outcome
    data["covered_by"] = _person(request.covered_by_id, _users(request.covered_by_id))
    emit(team_id=request.team_id, type="cover.resolved", source_id=request.pk, data=data)


def _missing(
    model: Any, type: str, since: datetime, *, team: str = "team", field: str = "created_at"
) -> list[Any]:
    done = Event.objects.filter(type=type, source_id__isnull=False).values("source_id")
    # Only teams with an endpoint get events (_listened): the others have nothing missing.
    listened = Endpoint.objects.values("team_id")
    rows = model.objects.filter(**{f"{field}__gte": since, f"{team}__in": listened})
    return list(rows.exclude(pk__in=done)[:500])


def sweep(*, now: datetime | None = None) -> int:
    """Emit the events of the last day's changes that no signal turned into events."""
    now = now or timezone.now()
    since = now - SWEEP_WINDOW
    count = 0
    for change in _missing(SeatChange, "seat.changed", since, team="seat__shift__team"):
        seat_changed(change)
        count += 1
    for row in _missing(Handoff, "oncall.changed", since):
        handoff(row)
        count += 1
    for request in _missing(CoverRequest, "cover.requested", since):
        cover_requested(request)
        count += 1
    for request in _missing(CoverRequest, "cover.resolved", since, field="resolved_at"):
        if request.state in RESOLVED_OUTCOMES:
            cover_resolved(request, RESOLVED_OUTCOMES[request.state])
            count += 1
    return count
