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
    if entry.start_time is None or entry.end_time is None:
        return day_bounds(entry.day, zone)
    start = datetime.combine(entry.day, entry.start_time, tzinfo=zone).astimezone(UTC)
    end_day = entry.day + timedelta(days=1) if entry.end_time == time(0) else entry.day
    end = datetime.combine(end_day, entry.end_time, tzinfo=zone).astimezone(UTC)
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


def windows_for_team(*, team: Team, start: datetime, end: datetime) -> dict[int, PersonWindows]:
    """Return each member's windows clipped to [start, end), in a constant number of queries."""
    users = _members(team)
    ids = [user.pk for user in users]
    unknown_unmarked = unmarked_means(team) == UnmarkedMeans.UNKNOWN
    # Local days differ by at most a day from UTC days; widen by two to catch every zone.
    first, last = (start - timedelta(days=2)).date(), (end + timedelta(days=2)).date()
    entries: dict[int, list[AvailabilityEntry]] = defaultdict(list)
    for entry in AvailabilityEntry.objects.filter(user_id__in=ids).between(first, last):
        entries[entry.user_id].append(entry)
    busy: dict[int, list[Window]] = defaultdict(list)
    blocks = BusyBlock.objects.filter(user_id__in=ids).counted().overlapping(start, end)
    for user_id, block_start, block_end in blocks.values_list("user_id", "start", "end"):
        busy[user_id].append((block_start, block_end))

    result: dict[int, PersonWindows] = {}
    for user in users:
        zone = _zone(user.timezone)
        marked: list[Window] = []
        preferred: list[Window] = []
        marked_days: set[date] = set()
        for entry in entries[user.pk]:
            marked_days.add(entry.day)
            if entry.kind == Kind.UNAVAILABLE:
                marked.append(entry_window(entry, zone))
            elif entry.kind == Kind.PREFERRED:
                preferred.append(entry_window(entry, zone))
        avoid: list[Window] = []
        if unknown_unmarked:
            avoid = [
                day_bounds(day, zone)
                for day in _local_days(start, end, zone)
                if day not in marked_days
            ]
        result[user.pk] = PersonWindows(
            unavailable=merge(marked + busy[user.pk], start, end),
            preferred=merge(preferred, start, end),
            avoid=merge(avoid, start, end),
            marked=merge(marked, start, end),
            busy=merge(busy[user.pk], start, end),
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
        day_start, day_end = day_bounds(day, zone)
        if any(a < day_end and b > day_start for a, b in busy):
            states[day] = "busy"
        else:
            states[day] = mark or default
    return states


def day_states_for_team(*, team: Team, first: date, last: date) -> dict[int, dict[date, str]]:
    """Return member -> day -> preferred|available|unavailable|busy|unknown, in constant queries."""
    users = _members(team)
    ids = [user.pk for user in users]
    default = "unknown" if unmarked_means(team) == UnmarkedMeans.UNKNOWN else "available"
    whole_day: dict[int, dict[date, str]] = defaultdict(dict)
    rows = AvailabilityEntry.objects.filter(user_id__in=ids).whole_days().between(first, last)
    for user_id, day, kind in rows.values_list("user_id", "day", "kind"):
        whole_day[user_id][day] = kind
    span_start = datetime.combine(first - timedelta(days=1), time(0), tzinfo=UTC)
    span_end = datetime.combine(last + timedelta(days=2), time(0), tzinfo=UTC)
    busy: dict[int, list[Window]] = defaultdict(list)
    blocks = BusyBlock.objects.filter(user_id__in=ids).counted().overlapping(span_start, span_end)
    for user_id, block_start, block_end in blocks.values_list("user_id", "start", "end"):
        busy[user_id].append((block_start, block_end))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return {
        user.pk: states_for_user(
            days=days,
            zone=_zone(user.timezone),
            whole_day=whole_day[user.pk],
            busy=busy[user.pk],
            default=default,
        )
        for user in users
    }
