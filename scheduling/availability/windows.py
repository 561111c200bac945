"""Read a team's availability as UTC windows (for the engine) and day states (for grids)."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from accounts.models import Membership, Team
from scheduling.availability.models import (
    AvailabilityEntry,
    AvailabilitySettings,
    BusyBlock,
    Kind,
    UnmarkedMeans,
)

Window = tuple[datetime, datetime]
DAY_STATES = ("preferred", "available", "unavailable", "busy", "unknown")


@dataclass(frozen=True)
class PersonWindows:
    unavailable: list[
        Window
    ]  # aware UTC, merged, half-open; entries and busy blocks not overridden
    preferred: list[Window]  # 'preferred' entries
    avoid: list[Window]  # unmarked days when the team says unmarked = "unknown until marked"
    # The two sources of `unavailable`, kept apart so a reason can say which one binds.
    marked: list[Window] = field(default_factory=list)
    busy: list[Window] = field(default_factory=list)


def unmarked_means(team: Team) -> str:
    """Return what an unmarked day means for the team, without creating the settings row."""
    found = AvailabilitySettings.objects.filter(team=team).values_list("unmarked_means", flat=True)
    return next(iter(found), UnmarkedMeans.AVAILABLE)


def day_bounds(day: date, zone: zoneinfo.ZoneInfo) -> Window:
    """Return the UTC start and end of a local day (23 or 25 hours across a DST change)."""
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def entry_window(entry: AvailabilityEntry, zone: zoneinfo.ZoneInfo) -> Window:
    """Return the UTC window of an entry, read in the person's zone."""
    return _window(entry.day, entry.start_time, entry.end_time, zone)


def _window(day: date, start_time: time | None, end_time: time | None, zone) -> Window:
    if start_time is None or end_time is None:
        return day_bounds(day, zone)
    start = datetime.combine(day, start_time, tzinfo=zone).astimezone(UTC)
    end_day = day + timedelta(days=1) if end_time == time(0) else day
    end = datetime.combine(end_day, end_time, tzinfo=zone).astimezone(UTC)
    return start, end


def merge(windows: list[Window], start: datetime, end: datetime) -> list[Window]:
    """Clip windows to [start, end) and merge the ones that overlap or touch."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in windows if a < end and b > start)
    merged: list[Window] = []
    for a, b in clipped:
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _local_days(start: datetime, end: datetime, zone: zoneinfo.ZoneInfo) -> list[date]:
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _members(team: Team) -> list:
    return [m.user for m in Membership.objects.filter(team=team).select_related("user")]


Entry = tuple[date, time | None, time | None, str]  # day, start, end, kind


@dataclass
class _Rows:
    """A team's marks and busy blocks over a span, read once for windows and day states."""

    unknown_unmarked: bool
    entries: dict[int, list[Entry]]
    busy: dict[int, list[Window]]


def _read(team: Team, ids: list[int], first: date, last: date, start, end) -> _Rows:
    """Read entries on local days [first, last] and busy blocks overlapping [start, end)."""
    entries: dict[int, list[Entry]] = defaultdict(list)
    # Plain rows, not model instances: a team month is thousands of entries.
    rows = AvailabilityEntry.objects.filter(user_id__in=ids).between(first, last)
    for user_id, *entry in rows.values_list("user_id", "day", "start_time", "end_time", "kind"):
        entries[user_id].append(tuple(entry))
    busy: dict[int, list[Window]] = defaultdict(list)
    blocks = BusyBlock.objects.filter(user_id__in=ids).counted().overlapping(start, end)
    for user_id, block_start, block_end in blocks.values_list("user_id", "start", "end"):
        busy[user_id].append((block_start, block_end))
    return _Rows(unmarked_means(team) == UnmarkedMeans.UNKNOWN, entries, busy)


def windows_for_team(
    *, team: Team, start: datetime, end: datetime, users: list | None = None
) -> dict[int, PersonWindows]:
    """Return each member's windows clipped to [start, end), in a constant number of queries.

    ``users``: the team's members when the caller has them already (one query fewer).
    """
    users = _members(team) if users is None else users
    # Local days differ by at most a day from UTC days; widen by two to catch every zone.
    first, last = (start - timedelta(days=2)).date(), (end + timedelta(days=2)).date()
    rows = _read(team, [u.pk for u in users], first, last, start, end)
    return _windows(users, rows, start, end)


def windows_and_states_for_team(
    *, team: Team, start: datetime, end: datetime, first: date, last: date, users: list
) -> tuple[dict[int, PersonWindows], dict[int, dict[date, str]]]:
    """Return windows_for_team and day_states_for_team together, from one read of the rows."""
    span_start, span_end = _state_span(first, last)
    rows = _read(
        team,
        [u.pk for u in users],
        min((start - timedelta(days=2)).date(), first),
        max((end + timedelta(days=2)).date(), last),
        min(start, span_start),
        max(end, span_end),
    )
    return _windows(users, rows, start, end), _states(users, rows, first, last)


def _windows(users: list, rows: _Rows, start: datetime, end: datetime) -> dict[int, PersonWindows]:
    # Rows outside [start, end) are clipped away by merge.
    result: dict[int, PersonWindows] = {}
    for user in users:
        zone = _zone(user.timezone)
        marked: list[Window] = []
        preferred: list[Window] = []
        marked_days: set[date] = set()
        for day, start_time, end_time, kind in rows.entries[user.pk]:
            marked_days.add(day)
            if kind == Kind.UNAVAILABLE:
                marked.append(_window(day, start_time, end_time, zone))
            elif kind == Kind.PREFERRED:
                preferred.append(_window(day, start_time, end_time, zone))
        avoid: list[Window] = []
        if rows.unknown_unmarked:
            avoid = [
                day_bounds(day, zone)
                for day in _local_days(start, end, zone)
                if day not in marked_days
            ]
        busy = rows.busy[user.pk]
        result[user.pk] = PersonWindows(
            unavailable=merge(marked + busy, start, end),
            preferred=merge(preferred, start, end),
            avoid=merge(avoid, start, end),
            marked=merge(marked, start, end),
            busy=merge(busy, start, end),
        )
    return result


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def states_for_user(
    *,
    days: list[date],
    zone: zoneinfo.ZoneInfo,
    whole_day: dict[date, str],
    busy: list[Window],
    default: str,
) -> dict[date, str]:
    """Return each local day's state: unavailable mark, else busy, else the mark or the default."""
    states: dict[date, str] = {}
    busy = sorted(busy)
    for day in days:
        mark = whole_day.get(day)
        if mark == Kind.UNAVAILABLE:
            states[day] = "unavailable"
            continue
        if busy and _busy_on(day, zone, busy):
            states[day] = "busy"
        else:
            states[day] = mark or default
    return states


def _state_span(first: date, last: date) -> Window:
    # Busy blocks that may touch a local day of [first, last] in any zone.
    return (
        datetime.combine(first - timedelta(days=1), time(0), tzinfo=UTC),
        datetime.combine(last + timedelta(days=2), time(0), tzinfo=UTC),
    )


def _busy_on(day: date, zone: zoneinfo.ZoneInfo, busy: list[Window]) -> bool:
    day_start, day_end = day_bounds(day, zone)
    return any(a < day_end and b > day_start for a, b in busy)


def day_states_for_team(
    *, team: Team, first: date, last: date, users: list | None = None
) -> dict[int, dict[date, str]]:
    """Return member -> day -> preferred|available|unavailable|busy|unknown, in constant queries."""
    users = _members(team) if users is None else users
    rows = _read(team, [u.pk for u in users], first, last, *_state_span(first, last))
    return _states(users, rows, first, last)


def _states(users: list, rows: _Rows, first: date, last: date) -> dict[int, dict[date, str]]:
    default = "unknown" if rows.unknown_unmarked else "available"
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    result = {}
    for user in users:
        # Whole-day marks decide a day's state; marks with times show in the windows only.
        whole_day = {e[0]: e[3] for e in rows.entries[user.pk] if e[1] is None}
        result[user.pk] = states_for_user(
            days=days,
            zone=_zone(user.timezone),
            whole_day=whole_day,
            busy=rows.busy[user.pk],
            default=default,
        )
    return result
