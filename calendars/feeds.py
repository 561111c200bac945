"""ICS feeds rendered from the shift data on request: a person's shifts, or a whole team's."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Count, FloatField, Func, Max, Q

from accounts.models import Team, User
from calendars import content, ical
from calendars.models import CalendarEntry, CalendarPreferences, EntryStatus, TeamFeed

PAST = timedelta(days=30)
FUTURE = timedelta(days=365)
READ_MARK_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class Version:
    """What conditional requests compare: changes to any entry move both."""

    etag: str
    last_modified: datetime | None


def _window(now: datetime):
    return CalendarEntry.objects.visible(now).in_window(now - PAST, now + FUTURE)


def personal_entries(user: User, now: datetime):
    """Return the person's entries a feed shows: the past 30 days and the next 12 months."""
    return _window(now).filter(user=user)


def team_entries(team: Team, now: datetime):
    """Return everyone's entries for the team's shifts in the feed window."""
    return _window(now).filter(seat__shift__team=team)


def version(entries, token: str) -> Version:
    """Return the feed's ETag and Last-Modified from one aggregate query."""
    row = entries.order_by().aggregate(
        last=Max("changed_at"), count=Count("id"), sequences=Max("sequence")
    )
    last = row["last"]
    seed = f"{token}|{last.isoformat() if last else '-'}|{row['count']}|{row['sequences']}"
    return Version(etag=hashlib.sha256(seed.encode()).hexdigest()[:32], last_modified=last)


class Epoch(Func):
    """Seconds since 1970 of a timestamp column: a float loads far faster than a datetime."""

    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps UTC timestamps as text; julianday() reads them.
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        )


def _moment(seconds: float) -> datetime:
    whole = round(seconds)
    # julianday() is exact to ~40 µs only: snap values that close to a whole second.
    return datetime.fromtimestamp(whole if abs(seconds - whole) < 1e-4 else round(seconds, 6), UTC)


ROW_FIELDS = (
    "uid",
    "sequence",
    "status",
    "user_id",
    "user__display_name",
    "user__email",
    "seat_id",
    "seat__role",
    "seat__shift_id",
    "seat__shift__label",
    "seat__shift__team_id",
    "seat__shift__team__name",
    "seat__shift__team__timezone",
    "e_changed",
    "e_created",
    "e_starts",
    "e_ends",
)


def render(
    entries, *, name: str, now: datetime, for_team: bool = False, busy: bool | None = None
) -> bytes:
    """Return the calendar text for these entries (three or four queries, whatever their number).

    A personal feed passes its person's `busy` choice, which saves looking it up.
    """
    rows = list(
        entries.annotate(
            e_changed=Epoch("changed_at"),
            e_created=Epoch("created_at"),
            e_starts=Epoch("seat__shift__starts_at"),
            e_ends=Epoch("seat__shift__ends_at"),
        )
        .order_by("seat__shift__starts_at", "id")
        .values_list(*ROW_FIELDS)
    )
    seats = [
        content.SeatRow(
            seat_id, role, shift_id, _moment(starts), _moment(ends), label, team_id, team, tzid
        )
        for (_u, _s, _st, _uid, _n, _e, seat_id, role, shift_id, label, team_id, team, tzid,
             _c, _cr, starts, ends) in rows
    ]  # fmt: skip
    context = content.load_context(
        entries.order_by().values_list("seat__shift_id", flat=True),
        {seat.team_id for seat in seats},
        {row[3] for row in rows} if busy is None else (),
    )
    if busy:
        context.busy_users = {row[3] for row in rows}
    events = [
        content.event(
            seat=seat,
            user_id=row[3],
            uid=row[0],
            sequence=row[1],
            cancelled=row[2] == EntryStatus.CANCELLED,
            changed_at=_moment(row[13]),
            created_at=_moment(row[14]),
            context=context,
            now=now,
            person=(row[4] or row[5]) if for_team else "",
        )
        for row, seat in zip(rows, seats, strict=True)
    ]
    return ical.feed(events, name=name)


def personal_feed_name(user: User) -> str:
    return f"On call: {user.name}"


def mark_read(prefs: CalendarPreferences, now: datetime) -> None:
    """Note that a calendar app reads the feed (at most one write an hour)."""
    if prefs.feed_read_at is not None and prefs.feed_read_at >= now - READ_MARK_EVERY:
        return
    CalendarPreferences.objects.filter(pk=prefs.pk).filter(
        Q(feed_read_at__isnull=True) | Q(feed_read_at__lt=now - READ_MARK_EVERY)
    ).update(feed_read_at=now)


def prefs_for_token(token: str) -> CalendarPreferences | None:
    """Return the preferences whose personal feed token this is (None for revoked or unknown)."""
    return (
        CalendarPreferences.objects.select_related("user")
        .filter(feed_token=token, user__is_active=True)
        .first()
    )


def team_for_token(token: str) -> Team | None:
    """Return the team whose feed token this is."""
    feed = TeamFeed.objects.select_related("team").filter(token=token).first()
    return feed.team if feed else None
