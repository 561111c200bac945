"""Find the shift boundaries passed since the last scan and record each handoff once.

A boundary is a published shift's start or end. At each one, per role, the holder just before
and just after are compared; a difference is a handoff. Each is a Handoff row with a unique key
(team:role:instant), so a repeated or concurrent scan records nothing twice; the `handoff`
signal is sent on commit for the rows this scan created.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from scheduling.oncall.models import Handoff, HandoffScan
from scheduling.oncall.signals import handoff
from scheduling.rotas.models import Seat, Shift

# On the first scan (and after a long outage) look back this far, not over all history.
MAX_LOOKBACK = timedelta(days=1)
EPSILON = timedelta(microseconds=1)


def _holders_at(team_id: int, moment: datetime) -> dict[str, tuple[int | None, int]]:
    """Return role → (holder id, shift id) of the team's published seats running at moment."""
    seats = (
        Seat.objects.published()
        .filter(shift__team_id=team_id, shift__starts_at__lte=moment, shift__ends_at__gt=moment)
        .order_by("shift__starts_at", "shift_id")
        .values_list("role", "holder_id", "shift_id")
    )
    found: dict[str, tuple[int | None, int]] = {}
    for role, holder, shift_id in seats:
        found.setdefault(role, (holder, shift_id))
    return found


def boundaries(since: datetime, until: datetime) -> list[tuple[int, datetime]]:
    """Return (team id, instant) of published shift starts and ends in (since, until]."""
    shifts = Shift.objects.published()
    starts = shifts.filter(starts_at__gt=since, starts_at__lte=until).values_list(
        "team_id", "starts_at"
    )
    ends = shifts.filter(ends_at__gt=since, ends_at__lte=until).values_list("team_id", "ends_at")
    return sorted(set(starts) | set(ends), key=lambda item: (item[1], item[0]))


def _record(team_id: int, role: str, at: datetime, before, after) -> Handoff | None:
    key = f"{team_id}:{role}:{at.isoformat()}"
    try:
        with transaction.atomic():
            return Handoff.objects.create(
                team_id=team_id,
                role=role,
                shift_id=after[1] if after else None,
                previous_user_id=before[0] if before else None,
                user_id=after[0] if after else None,
                at=at,
                key=key,
            )
    except IntegrityError:
        return None


def scan(*, now: datetime | None = None) -> list[Handoff]:
    """Record the handoffs of boundaries passed since the last scan; return the new ones."""
    now = now or timezone.now()
    created: list[Handoff] = []
    with transaction.atomic():
        cursor, _ = HandoffScan.objects.select_for_update().get_or_create(
            name="default", defaults={"scanned_until": now - MAX_LOOKBACK}
        )
        # The row lock makes concurrent scans queue; the second finds the window empty.
        since = max(cursor.scanned_until, now - MAX_LOOKBACK)
        for team_id, at in boundaries(since, now):
            before = _holders_at(team_id, at - EPSILON)
            after = _holders_at(team_id, at)
            for role in sorted(set(before) | set(after)):
                old, new = before.get(role), after.get(role)
                if (old[0] if old else None) == (new[0] if new else None):
                    continue
                row = _record(team_id, role, at, old, new)
                if row is not None:
                    created.append(row)
        cursor.scanned_until = now
        cursor.save(update_fields=["scanned_until"])
        transaction.on_commit(lambda: announce(created))
    return created


def announce(rows: list[Handoff]) -> None:
    """Send the handoff signal for each row."""
    for row in rows:
        handoff.send(
            sender=Shift,
            team_id=row.team_id,
            role=row.role,
            shift_id=row.shift_id,
            previous_user_id=row.previous_user_id,
            user_id=row.user_id,
            at=row.at,
        )
