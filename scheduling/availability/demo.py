"""Demo availability: two months of marks for everyone, some busy blocks, one open month."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from accounts.demo import TEAMS
from accounts.models import Team, User
from scheduling.availability.models import (
    AvailabilityDeadline,
    AvailabilityEntry,
    BusyBlock,
    CalendarConnection,
    ConnectionKind,
    Kind,
    MonthConfirmation,
)
from scheduling.availability.services import add_months, first_of_month

DAYS = 61
UNCONFIRMED = "noah@example.com"
# (who, summary, days from today, local start hour or None for all day, hours or days long)
BUSY = [
    ("oliver@example.com", "Dentist", 4, 9, 2),
    ("oliver@example.com", "Family wedding", 19, None, 2),
    ("amelia@example.com", "Conference: SREcon", 11, None, 3),
    ("amelia@example.com", "Parents' evening", 25, 17, 3),
    ("hannah@example.com", "Flight to Berlin", 8, 6, 4),
    ("emma@example.com", "Thanksgiving with family", 30, None, 2),
    ("mei@example.com", "Chinese New Year prep", 40, None, 1),
]


def _marks_for(user: User, today: date) -> list[AvailabilityEntry]:
    chooser = random.Random(user.email)  # the same marks on every run
    entries = []
    for offset in range(DAYS):
        day = today + timedelta(days=offset)
        roll = chooser.random()
        if roll < 0.12:
            kind = Kind.UNAVAILABLE
        elif roll < 0.30:
            kind = Kind.PREFERRED
        elif roll < 0.80:
            kind = Kind.AVAILABLE
        else:
            continue  # some days stay unmarked
        entries.append(AvailabilityEntry(user=user, day=day, kind=kind))
    return entries


def _busy(user: User, today: date) -> None:
    specs = [spec for spec in BUSY if spec[0] == user.email]
    if not specs or CalendarConnection.objects.filter(user=user).exists():
        return
    now = timezone.now()
    connection = CalendarConnection.objects.create(
        user=user,
        kind=ConnectionKind.ICS,
        name="Personal calendar (demo)",
        ics_url="https://calendar.example.com/demo/basic.ics",
        display_host="https://calendar.example.com",
        last_attempt_at=now,
        last_success_at=now,
        blocks_imported=len(specs),
    )
    for _email, summary, offset, hour, length in specs:
        day = today + timedelta(days=offset)
        if hour is None:
            start = datetime.combine(day, time(0), tzinfo=user.tz)
            end = datetime.combine(day + timedelta(days=length), time(0), tzinfo=user.tz)
        else:
            start = datetime.combine(day, time(hour), tzinfo=user.tz)
            end = start + timedelta(hours=length)
        BusyBlock.objects.create(
            connection=connection,
            user=user,
            start=start.astimezone(UTC),
            end=end.astimezone(UTC),
            all_day=hour is None,
            summary=summary,
            event_key=f"demo-{summary}|{start.isoformat()}",
        )


def seed(log) -> None:
    """Give every demo person marks for the next two months; busy blocks; next month's deadline."""
    emails = [email for spec in TEAMS for email, *_rest in spec["people"]]
    next_month = add_months(first_of_month(timezone.now().date()), 1)
    for user in User.objects.filter(email__in=emails):
        today = timezone.now().astimezone(user.tz).date()
        if not AvailabilityEntry.objects.filter(user=user, day__gte=today).exists():
            AvailabilityEntry.objects.bulk_create(_marks_for(user, today))
        _busy(user, today)
        if user.email != UNCONFIRMED:
            MonthConfirmation.objects.get_or_create(user=user, month=next_month)
    for team in Team.objects.filter(slug__in=[spec["slug"] for spec in TEAMS]):
        AvailabilityDeadline.objects.get_or_create(
            team=team,
            month=next_month,
            defaults={"due_on": timezone.now().date() + timedelta(days=5)},
        )
    log(f"Demo availability: {len(emails)} people, {len(BUSY)} busy blocks, {UNCONFIRMED} open")
