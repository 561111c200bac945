"""Import a team's past shifts (from PagerDuty or any ICS URL) as completed rota history.

Each imported on-call period becomes a Shift with one Seat held by the member matched by
email, inside one published "imported" RotaPeriod per import. The engine's `past_shifts`
counts seats of ended shifts, so experience and fairness count from the first day. Nothing
is announced (no SeatChange): history changes no calendar and pages nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import icalendar
from django.db import transaction
from django.utils import timezone

from accounts import audit, stamps
from accounts.models import Membership, Team, User
from scheduling.rotas.models import PeriodState, RotaPeriod, RotaVersion, Seat, Shift

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


@dataclass
class ImportResult:
    imported: int = 0
    skipped_existing: int = 0
    unmatched: set[str] = field(default_factory=set)
    period: RotaPeriod | None = None


def entries_from_ics(data: bytes) -> list[tuple[str, datetime, datetime]]:
    """Return (email, start, end) of the timed events; the email is the first one mentioned."""
    calendar = icalendar.Calendar.from_ical(data)
    found = []
    for event in calendar.walk("VEVENT"):
        start, end = event.get("DTSTART"), event.get("DTEND")
        if start is None or end is None:
            continue
        start, end = start.dt, end.dt
        if not isinstance(start, datetime) or not isinstance(end, datetime):
            continue
        if start.tzinfo is None or end.tzinfo is None:
            continue
        texts = [str(event.get("SUMMARY", "")), str(event.get("DESCRIPTION", ""))]
        texts += [str(a) for a in _as_list(event.get("ATTENDEE"))]
        match = next((m for t in texts if (m := EMAIL.search(t))), None)
        if match:
            found.append((match.group(0), start, end))
    return found


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def import_entries(
    *,
    team: Team,
    role: str,
    entries: Iterable[tuple[str, datetime, datetime]],
    by: User,
    source: str,
    now: datetime | None = None,
) -> ImportResult:
    """Write the ended entries as completed seats of the team's members; skip repeats."""
    now = now or timezone.now()
    members = {
        m.user.email.lower(): m.user
        for m in Membership.objects.filter(team=team).select_related("user")
    }
    result = ImportResult()
    rows: list[tuple[User, datetime, datetime]] = []
    for email, start, end in entries:
        end = min(end, now)
        if end <= start:
            continue
        user = members.get(email.lower())
        if user is None:
            result.unmatched.add(email)
            continue
        rows.append((user, start, end))
    if not rows:
        return result
    existing = set(
        Seat.objects.filter(
            shift__team=team, role=role, holder__in=[u for u, _, _ in rows]
        ).values_list("holder_id", "shift__starts_at", "shift__ends_at")
    )
    fresh = []
    for user, start, end in sorted(set(rows), key=lambda r: (r[1], r[0].pk)):
        if (user.pk, start, end) in existing:
            result.skipped_existing += 1
        else:
            fresh.append((user, start, end))
    if not fresh:
        return result
    tz = team.tz
    with transaction.atomic():
        period = RotaPeriod.objects.create(
            team=team,
            starts_on=min(s for _, s, _ in fresh).astimezone(tz).date(),
            ends_on=max(e for _, _, e in fresh).astimezone(tz).date(),
            state=PeriodState.PUBLISHED,
            version=1,
            published_at=now,
            published_by=by,
        )
        shifts = Shift.objects.bulk_create(
            Shift(period=period, team=team, starts_at=s, ends_at=e, label="Imported")
            for _, s, e in fresh
        )
        seats = Seat.objects.bulk_create(
            Seat(shift=shift, role=role, holder=user, proposed_holder=user, locked=True)
            for shift, (user, _, _) in zip(shifts, fresh, strict=True)
        )
        RotaVersion.objects.create(
            period=period,
            number=1,
            published_by=by,
            published_at=now,
            note=f"Imported history from {source}",
            snapshot={str(s.pk): s.holder_id for s in seats},
        )
        stamps.touch(teams=[team.pk])
        audit.record(
            action="paging.history_imported",
            summary=f"{by.name} imported {len(fresh)} past {role} shifts from {source}",
            actor=by,
            team=team,
            target=period,
            unmatched=sorted(result.unmatched),
        )
    result.imported = len(fresh)
    result.period = period
    return result
