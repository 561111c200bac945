"""What Rota tells Slack when the rota moves: DMs, their updates, and the role user groups."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts import stamps
from accounts.models import User
from integrations.slack import messages, outbox
from integrations.slack.models import Call, CallState, Installation, UserGroup
from scheduling.cover.models import Ask, CoverRequest, SwapOffer
from scheduling.rotas.models import ROLES, Seat, SeatChange


def installation_of(team_id: int) -> Installation | None:
    return Installation.objects.filter(team_id=team_id).select_related("team").first()


def ask_dm(*, ask_id: int) -> Call | None:
    """DM a cover question with Agree / Decline buttons to the candidate."""
    ask = (
        Ask.objects.select_related("candidate", "request__team", "request__requested_by")
        .select_related("request__seat__shift")
        .filter(pk=ask_id)
        .first()
    )
    if ask is None:
        return None
    installation = installation_of(ask.request.team_id)
    if installation is None:
        return None
    return outbox.enqueue(
        installation=installation,
        key=f"ask:{ask.pk}",
        method="chat.postMessage",
        args=messages.ask_message(ask),
        recipient=ask.candidate,
    )


def swap_dm(*, offer_id: int) -> Call | None:
    """DM a swap offer with Agree / Decline buttons to the colleague it is made to."""
    offer = (
        SwapOffer.objects.select_related("team", "offered_by", "offered_to")
        .select_related("from_seat__shift", "to_seat__shift")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        return None
    installation = installation_of(offer.team_id)
    if installation is None:
        return None
    return outbox.enqueue(
        installation=installation,
        key=f"swap:{offer.pk}",
        method="chat.postMessage",
        args=messages.swap_message(offer),
        recipient=offer.offered_to,
    )


def request_closed(*, request_id: int) -> int:
    """Replace the buttons of every DM'd question of a decided request; tell the requester."""
    request = (
        CoverRequest.objects.select_related("team", "seat__shift", "requested_by", "covered_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    installation = installation_of(request.team_id)
    if installation is None or request.is_active:
        return 0
    queued = 0
    asks = {a.pk: a for a in request.asks.select_related("candidate")}
    dms = Call.objects.filter(
        installation=installation, key__in=[f"ask:{pk}" for pk in asks]
    ).exclude(state__in=(CallState.FAILED, CallState.SKIPPED))
    for dm in dms:
        ask = asks[int(dm.key.split(":")[1])]
        queued += bool(
            outbox.enqueue(
                installation=installation,
                key=f"{dm.key}:closed",
                method="chat.update",
                args=messages.ask_closed(ask, request),
                after=dm,
            )
        )
    if request.covered_by is not None:
        queued += bool(
            outbox.enqueue(
                installation=installation,
                key=f"request:{request.pk}:covered",
                method="chat.postMessage",
                args=messages.requester_told(request, request.covered_by),
                recipient=request.requested_by,
            )
        )
    return queued


def holders_now(team_id: int, role: str, at: datetime) -> list[int]:
    """Return who holds the team role at the moment (published seats only)."""
    return sorted(
        Seat.objects.published()
        .filter(
            shift__team_id=team_id,
            role=role,
            holder__isnull=False,
            shift__starts_at__lte=at,
            shift__ends_at__gt=at,
        )
        .values_list("holder_id", flat=True)
        .distinct()
    )


def sync_group(*, installation: Installation, role: str, at: datetime | None = None) -> Call | None:
    """Queue the role's user group update if who is on call differs from what was last queued."""
    at = at or timezone.now()
    team = installation.team
    wanted = holders_now(team.pk, role, at)
    with transaction.atomic():
        group, created = UserGroup.objects.select_for_update().get_or_create(
            installation=installation,
            role=role,
            defaults={"handle": f"{team.slug}-{role}"[:80], "members": []},
        )
        if group.members == wanted and not (created and wanted):
            return None
        if created and not wanted:
            return None  # no group yet and nobody to put in it: create it when someone is
        group.members = wanted
        group.save(update_fields=["members"])
        # Only the newest list matters: older ones still waiting are superseded.
        Call.objects.filter(
            installation=installation,
            method="usergroups.users.update",
            args__role=role,
            state=CallState.PENDING,
        ).update(state=CallState.SKIPPED, last_error="Superseded by a newer list.")
        stamps.touch(teams=[team.pk])
        return outbox.enqueue(
            installation=installation,
            key=f"group:{role}:{at.timestamp():.6f}:{'-'.join(map(str, wanted)) or 'none'}",
            method="usergroups.users.update",
            args={"role": role, "user_ids": wanted},
        )


def seat_changed(*, change_id: int, now: datetime | None = None) -> Call | None:
    """A published holder changed: if the seat's shift is running, its role group follows."""
    now = now or timezone.now()
    change = SeatChange.objects.select_related("seat__shift").filter(pk=change_id).first()
    if change is None:
        return None
    shift = change.seat.shift
    if not (shift.starts_at <= now < shift.ends_at):
        return None  # a future seat: the group changes at its handoff
    installation = installation_of(shift.team_id)
    if installation is None:
        return None
    return sync_group(installation=installation, role=change.seat.role, at=now)


def handoff(
    *, team_id: int, role: str, shift_id: int, user_id: int | None, at: datetime
) -> list[Call]:
    """A shift boundary: update the role's group and DM the incoming holder."""
    installation = installation_of(team_id)
    if installation is None:
        return []
    queued = [sync_group(installation=installation, role=role, at=at)]
    seat = (
        Seat.objects.select_related("shift")
        .filter(shift_id=shift_id, role=role, holder_id=user_id)
        .first()
    )
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if seat is not None and user is not None:
        queued.append(
            outbox.enqueue(
                installation=installation,
                key=f"handoff:{shift_id}:{role}:{user_id}",
                method="chat.postMessage",
                args=messages.handoff_message(
                    team=installation.team, role=role, user=user, seat=seat
                ),
                recipient=user,
            )
        )
    return [call for call in queued if call is not None]


def sync_all_groups(*, now: datetime | None = None) -> int:
    """Bring every role group in line with who is on call now (a missed handoff heals here)."""
    now = now or timezone.now()
    queued = 0
    for installation in Installation.objects.select_related("team"):
        for role in ROLES:
            queued += sync_group(installation=installation, role=role, at=now) is not None
    return queued
