"""Ask candidates in turn (ranked) or at once (broadcast); time out, remind and escalate."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts import audit
from scheduling.cover import tasks
from scheduling.cover.models import (
    ACTIVE,
    Ask,
    AskState,
    CoverRequest,
    CoverSettings,
    Mode,
    State,
)
from scheduling.cover.signals import cover_asked

# However close the shift, a person gets at least this long to answer before the next is asked.
MIN_WAIT = timedelta(minutes=15)


def wait_for(request: CoverRequest, settings: CoverSettings, now: datetime) -> timedelta:
    """Return how long to wait for an answer: the team's hours, shorter close to the shift."""
    left = request.starts_at - now
    return max(min(timedelta(hours=settings.wait_hours), left / 4), MIN_WAIT)


def escalate_at_for(request: CoverRequest, settings: CoverSettings, now: datetime) -> datetime:
    """Return when to tell the manager if nobody agreed."""
    if request.starts_at - now <= timedelta(hours=settings.urgent_within_hours):
        return now
    deadline = request.starts_at - timedelta(hours=settings.escalate_hours_before)
    # Opened after the usual deadline: give the first answer its (short) wait before escalating.
    return deadline if deadline > now else now + wait_for(request, settings, now)


def _on_commit(task, *args) -> None:
    """Write the task's emails to the outbox in this transaction; they are sent after commit."""
    task.run(*args)


def ask_next(request: CoverRequest, *, count: int = 1, now: datetime | None = None) -> list[Ask]:
    """Ask the next `count` candidates not asked yet; escalate when nobody is left."""
    now = now or timezone.now()
    with transaction.atomic():
        # The row lock makes concurrent sweeps and declines ask each person once.
        request = CoverRequest.objects.select_for_update().select_related("team").get(pk=request.pk)
        if request.state not in ACTIVE:
            return []
        settings = CoverSettings.for_team(request.team)
        wait = wait_for(request, settings, now)
        asks = list(
            request.asks.filter(state=AskState.PENDING)
            .select_related("candidate")
            .order_by("rank")[:count]
        )
        for ask in asks:
            ask.state = AskState.ASKED
            ask.asked_at = now
            ask.wait_until = now + wait
            ask.save(update_fields=["state", "asked_at", "wait_until"])
            audit.record(
                action="cover.asked",
                summary=f"Rota asked {ask.candidate.name} (choice {ask.rank}) to cover for"
                f" {request.requested_by.name}",
                team=request.team,
                target=request,
                ask=ask.pk,
                candidate=ask.candidate_id,
            )
            _on_commit(tasks.send_ask, ask.pk)
            transaction.on_commit(partial(cover_asked.send, sender=Ask, ask=ask))
        if not asks and not request.asks.filter(state=AskState.ASKED).exists():
            escalate(request, why="nobody left to ask", now=now)
    return asks


def start_asking(request: CoverRequest, *, now: datetime | None = None) -> list[Ask]:
    """Send the first question(s) as the team's mode says."""
    settings = CoverSettings.for_team(request.team)
    count = settings.broadcast_k if settings.mode == Mode.BROADCAST else 1
    return ask_next(request, count=max(count, 1), now=now)


def escalate(request: CoverRequest, *, why: str, now: datetime | None = None) -> bool:
    """Tell the managers (once) that this request needs them; return whether it escalated now."""
    now = now or timezone.now()
    if not CoverRequest.objects.filter(pk=request.pk, state=State.OPEN).update(
        state=State.ESCALATED, escalated_at=now
    ):
        return False
    request.state, request.escalated_at = State.ESCALATED, now
    audit.record(
        action="cover.escalated",
        summary=f"Rota passed the cover request to the managers: {why}",
        team=request.team,
        target=request,
        why=why,
    )
    _on_commit(tasks.send_escalation, request.pk)
    return True


def expire_overdue(*, now: datetime | None = None) -> int:
    """Ranked mode: treat unanswered questions past their wait as no, and ask the next person."""
    now = now or timezone.now()
    overdue = (
        Ask.objects.waiting()
        .filter(wait_until__lte=now, request__team__cover_settings__mode=Mode.RANKED)
        .select_related("request__team", "candidate")
    )
    expired = 0
    for ask in overdue:
        with transaction.atomic():
            # Request row first (the lock order of agree and decline), then a conditional
            # update: a concurrent sweep or a late answer wins only once.
            CoverRequest.objects.select_for_update().filter(pk=ask.request_id).first()
            if not Ask.objects.filter(pk=ask.pk, state=AskState.ASKED).update(
                state=AskState.EXPIRED, answered_at=now
            ):
                continue
            expired += 1
            audit.record(
                action="cover.no_answer",
                summary=f"{ask.candidate.name} did not answer in time; asking the next person",
                team=ask.request.team,
                target=ask.request,
                ask=ask.pk,
            )
            ask_next(ask.request, now=now)
    return expired


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind, once, everyone who has not answered by half their wait."""
    now = now or timezone.now()
    due = Ask.objects.waiting().filter(
        reminded_at__isnull=True, asked_at__isnull=False, wait_until__gt=now
    )
    sent = 0
    for ask in due.select_related("request__team", "candidate"):
        if ask.asked_at + (ask.wait_until - ask.asked_at) / 2 > now:
            continue
        if not Ask.objects.filter(pk=ask.pk, reminded_at__isnull=True, state=AskState.ASKED).update(
            reminded_at=now
        ):
            continue
        sent += 1
        audit.record(
            action="cover.reminded",
            summary=f"Rota reminded {ask.candidate.name} to answer the cover request",
            team=ask.request.team,
            target=ask.request,
            ask=ask.pk,
        )
        _on_commit(tasks.send_reminder, ask.pk)
    return sent


def escalate_due(*, now: datetime | None = None) -> int:
    """Escalate open requests past their deadline or about to start."""
    now = now or timezone.now()
    count = 0
    for request in CoverRequest.objects.filter(
        state=State.OPEN, escalate_at__lte=now, ends_at__gt=now
    ).select_related("team"):
        count += escalate(request, why="nobody agreed by the deadline", now=now)
    return count


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Run every timed step once; safe to run as often as you like."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = expire_overdue(now=now)
    with transaction.atomic():
        reminded = send_reminders(now=now)
    with transaction.atomic():
        escalated = escalate_due(now=now)
    return {"expired": expired, "reminded": reminded, "escalated": escalated}


def supersede_open_asks(request: CoverRequest, *, now: datetime) -> int:
    """Close every question still out once the request is decided."""
    return request.asks.filter(state__in=(AskState.PENDING, AskState.ASKED)).update(
        state=AskState.SUPERSEDED, answered_at=now
    )
