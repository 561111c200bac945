"""Reminders sent by the beat tasks; each one is claimed in ReminderSent before it is sent."""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from rota import outbox
from scheduling.oncall.lookup import (
    HANDOVER_WINDOW,
    incoming_notes,
    published_seats,
    published_shifts,
)
from scheduling.oncall.models import HandoverNote, ReminderKind, ReminderPreferences, ReminderSent
from scheduling.rotas.models import Seat

log = logging.getLogger(__name__)

UNFILLED_DAYS = 7
HANDOVER_LEAD = timedelta(hours=1)


def claim(*, kind: str, key: str, user: User) -> bool:
    """Claim the reminder for the person; False when it was claimed before (already sent)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(kind=kind, key=key, user=user)
    except IntegrityError:
        return False
    return True


def _deliver(
    *, kind: str, key: str, user: User, subject: str, template: str, context: dict
) -> bool:
    """Claim and write the email to the outbox in one transaction: it is sent, retried, once."""
    body = render_to_string(template, {**context, "user": user, "SITE_URL": settings.SITE_URL})
    with transaction.atomic():
        if not claim(kind=kind, key=key, user=user):
            return False
        outbox.mail(
            key=f"reminder:{kind}:{key}:{user.pk}",
            kind=f"reminder-{kind}",
            subject=f"[Rota] {subject}",
            body=body,
            to=[user.contact_email],
        )
    return True


def _link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def send_shift_reminders(now: datetime | None = None) -> int:
    """Remind holders 24 h and 1 h before their shift starts; return how many were sent."""
    now = now or timezone.now()
    seats = list(
        published_seats()
        .filter(
            holder__isnull=False,
            shift__starts_at__gt=now,
            shift__starts_at__lte=now + timedelta(hours=24),
        )
        .select_related("holder", "shift__team")
    )
    wanted = ReminderPreferences.wants({s.holder_id for s in seats}, "shift_start")
    seats = [s for s in seats if s.holder_id in wanted]
    if not seats:
        return 0
    shifts = {s.shift_id: s.shift for s in seats}
    notes = incoming_notes(list(shifts.values()))
    partners: dict[int, list[Seat]] = defaultdict(list)
    for other in (
        published_seats().filter(shift_id__in=shifts, holder__isnull=False).select_related("holder")
    ):
        partners[other.shift_id].append(other)
    sent = 0
    for seat in seats:
        soon = seat.shift.starts_at <= now + timedelta(hours=1)
        kind = ReminderKind.SHIFT_1H if soon else ReminderKind.SHIFT_24H
        sent += _deliver(
            kind=kind,
            key=f"seat:{seat.pk}",
            user=seat.holder,
            subject=(
                f"Your {seat.role} shift for {seat.shift.team.name} "
                f"starts in {'1 hour' if soon else '24 hours'}"
            ),
            template="oncall/email/shift_start.txt",
            context={
                "seat": seat,
                "shift": seat.shift,
                "soon": soon,
                "partners": [p for p in partners[seat.shift_id] if p.holder_id != seat.holder_id],
                "notes": notes.get(seat.shift_id, []),
                "link": _link("oncall:my_shifts"),
                "shift_link": _link("rotas:shift", seat.shift_id),
            },
        )
    return sent


def send_unfilled_warnings(now: datetime | None = None) -> int:
    """Warn managers of seats nobody holds that start within 7 days; return how many were sent."""
    now = now or timezone.now()
    seats = list(
        Seat.objects.filter(
            holder__isnull=True,
            shift__starts_at__gt=now,
            shift__starts_at__lte=now + timedelta(days=UNFILLED_DAYS),
        )
        .select_related("shift__period__team")
        .order_by("shift__starts_at", "role")
    )
    by_period: dict[int, list[Seat]] = defaultdict(list)
    for seat in seats:
        by_period[seat.shift.period_id].append(seat)
    if not by_period:
        return 0
    teams = {seats[0].shift.team_id for seats in by_period.values()}
    managers: dict[int, list[User]] = defaultdict(list)
    for membership in (
        Membership.objects.managers().filter(team_id__in=teams).select_related("user")
    ):
        managers[membership.team_id].append(membership.user)
    wanted = ReminderPreferences.wants(
        {u.pk for users in managers.values() for u in users}, "unfilled"
    )
    sent = 0
    for period_id, period_seats in by_period.items():
        period = period_seats[0].shift.period
        # The same set of empty seats is reported once; a changed set is news and is reported again.
        digest = hashlib.sha256(
            ",".join(str(s.pk) for s in sorted(period_seats, key=lambda s: s.pk)).encode()
        )
        key = f"period:{period_id}:{digest.hexdigest()[:24]}"
        for manager in managers[period.team_id]:
            if manager.pk not in wanted:
                continue
            sent += _deliver(
                kind=ReminderKind.UNFILLED,
                key=key,
                user=manager,
                subject=(
                    f"{len(period_seats)} unfilled seat{'s' if len(period_seats) != 1 else ''} "
                    f"in {period.team.name}'s rota within {UNFILLED_DAYS} days"
                ),
                template="oncall/email/unfilled.txt",
                context={
                    "period": period,
                    "seats": period_seats,
                    "published": period.version >= 1 or period.state == "published",
                    "link": _link("rotas:period", period.team.slug, period.pk),
                },
            )
    return sent


def send_handover_missing(now: datetime | None = None) -> int:
    """Remind outgoing holders whose shift hands over within the hour without a note."""
    now = now or timezone.now()
    ending = list(
        published_shifts()
        .filter(ends_at__gt=now, ends_at__lte=now + HANDOVER_LEAD)
        .exclude(pk__in=HandoverNote.objects.values("shift_id"))
        .select_related("team")
    )
    if not ending:
        return 0
    seats = published_seats().filter(holder__isnull=False).select_related("holder", "shift")
    outgoing: dict[int, list[Seat]] = defaultdict(list)
    for seat in seats.filter(shift__in=ending):
        outgoing[seat.shift_id].append(seat)
    # Who takes over: holders of the team's shifts starting soon after each end.
    incoming: dict[int, set[int]] = defaultdict(set)
    latest = max(s.ends_at for s in ending) + HANDOVER_WINDOW
    later = seats.filter(
        shift__team_id__in={s.team_id for s in ending},
        shift__starts_at__gte=min(s.ends_at for s in ending),
        shift__starts_at__lt=latest,
    )
    for shift in ending:
        for seat in later:
            if (
                seat.shift.team_id == shift.team_id
                and shift.ends_at <= seat.shift.starts_at < shift.ends_at + HANDOVER_WINDOW
            ):
                incoming[shift.pk].add(seat.holder_id)
    wanted = ReminderPreferences.wants(
        {s.holder_id for v in outgoing.values() for s in v if s.holder_id is not None},
        "handover_missing",
    )
    sent = 0
    for shift in ending:
        if not incoming[shift.pk]:
            continue  # nobody takes over from this shift, so there is nobody to brief
        for seat in outgoing[shift.pk]:
            holder = seat.holder
            if holder is None or holder.pk not in wanted or holder.pk in incoming[shift.pk]:
                continue
            sent += _deliver(
                kind=ReminderKind.HANDOVER_MISSING,
                key=f"shift:{shift.pk}",
                user=holder,
                subject=f"Write your handover note: {shift.team.name} hands over within the hour",
                template="oncall/email/handover_missing.txt",
                context={"shift": shift, "seat": seat, "link": _link("oncall:handover", shift.pk)},
            )
    return sent
