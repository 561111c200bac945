"""Turn iCalendar data into busy blocks in UTC: recurrences expanded, free and cancelled skipped."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import recurring_ical_events

from rota.uids import is_rota_event
from scheduling.availability.errors import (  # noqa: F401 (callers read them from here too)
    CalendarDataError,
)


@dataclass(frozen=True)
class Block:
    start: datetime
    end: datetime
    all_day: bool
    summary: str
    key: str


def parse(data: bytes | str) -> icalendar.Calendar:
    """Parse one iCalendar file, or raise CalendarDataError saying why not."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if "BEGIN:VCALENDAR" not in text[:2000].upper():
        raise CalendarDataError("The file is not an iCalendar (.ics) file.")
    try:
        return icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError) as error:
        raise CalendarDataError(f"The calendar file could not be read: {error}") from None


def combine(objects: Iterable[bytes | str]) -> icalendar.Calendar:
    """Merge calendar objects (one per CalDAV resource) into one calendar."""
    merged = icalendar.Calendar()
    merged.add("prodid", "-//Rota//availability import//EN")
    merged.add("version", "2.0")
    seen_zones: set[str] = set()
    for data in objects:
        for component in parse(data).subcomponents:
            if component.name == "VTIMEZONE":
                tzid = str(component.get("TZID", ""))
                if tzid in seen_zones:
                    continue
                seen_zones.add(tzid)
            merged.add_component(component)
    return merged


def _to_utc(value: date | datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        # A floating time (no TZID) is read in the person's own zone.
        aware = value if value.tzinfo is not None else value.replace(tzinfo=zone)
        return aware.astimezone(UTC)
    # An all-day date is that day in the person's zone, however long the day is.
    return datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)


def _end_of(event: icalendar.Event, start: date | datetime) -> date | datetime:
    if event.get("DTEND") is not None:
        return event["DTEND"].dt
    if event.get("DURATION") is not None:
        return start + event["DURATION"].dt
    return start + timedelta(days=1) if not isinstance(start, datetime) else start


def busy_blocks(
    calendar: icalendar.Calendar, *, start: datetime, end: datetime, zone: zoneinfo.ZoneInfo
) -> list[Block]:
    """Return the busy blocks of events overlapping [start, end), sorted by start."""
    try:
        occurrences = recurring_ical_events.of(calendar).between(start, end)
    except Exception as error:  # the library raises many types for broken recurrence data
        raise CalendarDataError(
            f"The calendar's repeating events could not be read: {error}"
        ) from None
    blocks: dict[str, Block] = {}
    for event in occurrences:
        if event.name != "VEVENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if event.get("DTSTART") is None:
            continue
        # Our own on-call entries, pushed to a calendar the person also imports, are not busy.
        if is_rota_event(str(event.get("UID", ""))):
            continue
        local_start = event["DTSTART"].dt
        block_start = _to_utc(local_start, zone)
        block_end = _to_utc(_end_of(event, local_start), zone)
        if block_end <= block_start or block_end <= start or block_start >= end:
            continue
        uid = str(event.get("UID", ""))
        key = f"{uid}|{block_start.isoformat()}"[:400]
        blocks[key] = Block(
            start=block_start,
            end=block_end,
            all_day=not isinstance(local_start, datetime),
            summary=str(event.get("SUMMARY", ""))[:200],
            key=key,
        )
    return sorted(blocks.values(), key=lambda block: (block.start, block.end, block.key))
