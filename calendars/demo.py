"""Demo calendars: a feed for every demo person, entries for the published shifts (no mail)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Membership
from calendars.feeds import FUTURE, PAST
from calendars.models import CalendarPreferences, ProcessedChange
from calendars.sync import sync_shifts
from scheduling.rotas.models import SeatChange, Shift

CHUNK = 200


def seed(log) -> None:
    """Create feed tokens and calendar entries for the demo teams (idempotent)."""
    memberships = Membership.objects.filter(team__slug__in=["payments", "platform"]).select_related(
        "user"
    )
    users = {m.user for m in memberships}
    for user in users:
        CalendarPreferences.for_user(user)
    now = timezone.now()
    shift_ids = list(
        Shift.objects.filter(
            team__slug__in=["payments", "platform"],
            seats__holder__isnull=False,
            ends_at__gt=now - PAST,
            starts_at__lt=now + FUTURE,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    changed: set[int] = set()
    for start in range(0, len(shift_ids), CHUNK):
        # Demo people have no email or CalDAV channel yet, so this queues no delivery.
        changed |= sync_shifts(
            shift_ids=shift_ids[start : start + CHUNK], at=now - timedelta(minutes=5)
        )
    # The rota demo's publish left SeatChanges behind; they are applied above, so claim them.
    pending = SeatChange.objects.filter(calendar_processed__isnull=True).values_list(
        "pk", flat=True
    )
    ProcessedChange.objects.bulk_create(
        [ProcessedChange(change_id=pk) for pk in pending], ignore_conflicts=True
    )
    log(f"Calendars: feeds for {len(users)} people, entries for {len(shift_ids)} shifts")
