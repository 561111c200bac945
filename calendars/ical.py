"""Pure iCalendar writing: events, bounded VTIMEZONEs, feeds and iTIP messages (no Django).

The text is written directly (RFC 5545 escaping and line folding) rather than through
icalendar's object model: a year of shifts must render in a few milliseconds, and icalendar's
serializer costs about half a millisecond per event. Tests parse every output with icalendar
and recurring-ical-events.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

PRODID = "-//Rota//On-call calendar//EN"
CRLF = "\r\n"


@dataclass(frozen=True)
class EventData:
    """What one calendar event says; times are aware datetimes, shown in tzid."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    tzid: str
    summary: str
    description: str
    changed_at: datetime
    created_at: datetime
    cancelled: bool = False
    transparent: bool = True
    url: str = ""


@dataclass(frozen=True)
class Transition:
    at: datetime  # the UTC instant the offset changes
    offset_before: timedelta
    offset_after: timedelta
    dst_after: bool
    name_after: str


# --- text primitives -------------------------------------------------------


# Line breaks of every kind (CRLF, a lone CR or LF, Unicode separators) and other controls.
_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11); no control character survives but HTAB."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    if _BREAKS.search(text):
        text = _BREAKS.sub("\\\\n", text)
    if _CONTROLS.search(text):
        text = _CONTROLS.sub("", text)
    return text


@lru_cache(maxsize=256)
def param(value: str) -> str:
    """Quote a parameter value when it holds a separator; DQUOTE and controls are not allowed."""
    value = value.replace('"', "'")
    if _BREAKS.search(value) or _CONTROLS.search(value) or "\t" in value:
        value = " ".join(_CONTROLS.sub(" ", _BREAKS.sub(" ", value)).replace("\t", " ").split())
    return f'"{value}"' if any(c in value for c in ":;,") else value


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    if line.isascii():
        if len(line) <= 75:
            return line
        parts = [line[:75]]
        parts.extend(line[i : i + 74] for i in range(75, len(line), 74))
        return "\r\n ".join(parts)
    data = line.encode()
    if len(data) <= 75:
        return line
    chunks, start, limit = [], 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: step back to the character start
            cut -= 1
        chunks.append(data[start:cut])
        start, limit = cut, 74
    chunks.append(data[start:])
    return b"\r\n ".join(chunks).decode()


@lru_cache(maxsize=4096)
def utc_stamp(moment: datetime) -> str:
    m = moment.astimezone(UTC)
    return f"{m.year:04d}{m.month:02d}{m.day:02d}T{m.hour:02d}{m.minute:02d}{m.second:02d}Z"


def _offset_text(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    text = f"{sign}{seconds // 3600:02d}{seconds % 3600 // 60:02d}"
    return text + (f"{seconds % 60:02d}" if seconds % 60 else "")


@lru_cache(maxsize=8192)
def _when(name: str, moment: datetime, tzid: str) -> str:
    """Return DTSTART/DTEND in the zone, or in UTC when the local time is ambiguous."""
    local = moment.astimezone(zoneinfo.ZoneInfo(tzid))
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        # TZID + local time cannot say which of the two 01:30s of a fall-back night is meant.
        return f"{name}:{utc_stamp(moment)}"
    return (
        f"{name};TZID={param(tzid)}:"
        f"{local.year:04d}{local.month:02d}{local.day:02d}T{local.hour:02d}{local.minute:02d}{local.second:02d}"
    )


# --- time zones ------------------------------------------------------------


def _offset(zone: zoneinfo.ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset() or timedelta(0)


@lru_cache(maxsize=64)
def transitions(tzid: str, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """Return the zone's offset changes from 1 January first_year to the end of last_year."""
    zone = zoneinfo.ZoneInfo(tzid)
    step = timedelta(days=1)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    stop = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    found: list[Transition] = []
    before = _offset(zone, moment)
    while moment < stop:
        following = moment + step
        after = _offset(zone, following)
        if after != before:
            # Narrow the day down to the second: the offset changes in (low, high].
            low, high = moment, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            local = high.astimezone(zone)
            found.append(
                Transition(
                    at=high.replace(microsecond=0),
                    offset_before=before,
                    offset_after=after,
                    dst_after=bool(local.dst()),
                    name_after=local.tzname() or tzid,
                )
            )
            before = after
        moment = following
    return tuple(found)


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> str:
    """Return a VTIMEZONE for the zone covering only first_year..last_year."""
    zone = zoneinfo.ZoneInfo(tzid)
    start = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(zone)
    offset = start.utcoffset() or timedelta(0)
    # The offset in force when the range begins, so times before the first change resolve too.
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    lines += _observance(
        bool(start.dst()), datetime(first_year, 1, 1), offset, offset, start.tzname() or tzid
    )
    for change in transitions(tzid, first_year, last_year):
        local_start = (change.at + change.offset_before).replace(tzinfo=None)
        lines += _observance(
            change.dst_after,
            local_start,
            change.offset_before,
            change.offset_after,
            change.name_after,
        )
    lines.append("END:VTIMEZONE")
    return CRLF.join(lines)


def _observance(
    daylight: bool, local_start: datetime, offset_from: timedelta, offset_to: timedelta, name: str
) -> list[str]:
    kind = "DAYLIGHT" if daylight else "STANDARD"
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{local_start:%Y%m%dT%H%M%S}",
        f"TZOFFSETFROM:{_offset_text(offset_from)}",
        f"TZOFFSETTO:{_offset_text(offset_to)}",
        f"TZNAME:{escape(name)}",
        f"END:{kind}",
    ]


def zone_years(events: Iterable[EventData]) -> dict[str, tuple[int, int]]:
    """Return, per zone, the first and last year an event touches."""
    years: dict[str, tuple[int, int]] = {}
    for data in events:
        first, last = data.start.year, data.end.year
        # Local years differ from UTC ones by at most a day at New Year: widen by one to be safe.
        if data.start.month == 1 and data.start.day == 1:
            first -= 1
        if data.end.month == 12 and data.end.day == 31:
            last += 1
        low, high = years.get(data.tzid, (first, last))
        years[data.tzid] = (min(low, first), max(high, last))
    return years


# --- components ------------------------------------------------------------


def event_lines(data: EventData, extra: Iterable[str] = ()) -> list[str]:
    """Return the folded lines of one VEVENT."""
    stamp = utc_stamp(data.changed_at)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape(data.uid)}",
        f"SEQUENCE:{data.sequence}",
        f"DTSTAMP:{stamp}",
        f"LAST-MODIFIED:{stamp}",
        f"CREATED:{utc_stamp(data.created_at)}",
        _when("DTSTART", data.start, data.tzid),
        _when("DTEND", data.end, data.tzid),
        fold(f"SUMMARY:{escape(data.summary)}"),
        fold(f"DESCRIPTION:{escape(data.description)}"),
        f"STATUS:{'CANCELLED' if data.cancelled else 'CONFIRMED'}",
        f"TRANSP:{'TRANSPARENT' if data.transparent else 'OPAQUE'}",
    ]
    if data.url:
        lines.append(fold(f"URL:{data.url}"))
    lines.extend(fold(line) for line in extra)
    lines.append("END:VEVENT")
    return lines


@lru_cache(maxsize=20_000)
def event_text(data: EventData) -> str:
    """Return one VEVENT as text; cached on the event's full content (feeds are polled hourly)."""
    return CRLF.join(event_lines(data))


def _calendar(events: list[EventData], head: list[str], bodies: list[list[str]]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", *head]
    for tzid, (first, last) in sorted(zone_years(events).items()):
        lines.append(vtimezone(tzid, first, last))
    for body in bodies:
        lines.extend(body)
    lines.append("END:VCALENDAR")
    return (CRLF.join(lines) + CRLF).encode()


def feed(events: list[EventData], *, name: str) -> bytes:
    """Return a subscribable calendar (METHOD:PUBLISH) with these events."""
    head = [
        "METHOD:PUBLISH",
        fold(f"X-WR-CALNAME:{escape(name)}"),
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    return _calendar(events, head, [[event_text(data)] for data in events])


def resource(data: EventData) -> bytes:
    """Return the calendar object stored on a CalDAV server for one event (no METHOD)."""
    return _calendar([data], [], [event_lines(data)])


def itip(data: EventData, *, organizer: tuple[str, str], attendee: tuple[str, str]) -> bytes:
    """Return an iTIP REQUEST (or CANCEL for a cancelled event) from organizer to attendee."""
    method = "CANCEL" if data.cancelled else "REQUEST"
    extra = [
        f"ORGANIZER;CN={param(organizer[0])}:mailto:{organizer[1]}",
        f"ATTENDEE;CN={param(attendee[0])};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE"
        f":mailto:{attendee[1]}",
    ]
    return _calendar([data], [f"METHOD:{method}"], [event_lines(data, extra)])
