"""A test calendar and the busy blocks an import on 2026-10-01 10:00 UTC must produce."""

from __future__ import annotations

from datetime import UTC, datetime

IMPORT_AT = datetime(2026, 10, 1, 10, 0, tzinfo=UTC)

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""

# Tuesdays 09:00 London from 1 Sep, 10 times: 13 Oct moved to Wed 14 Oct 14:00, 20 Oct cancelled,
# 3 Nov removed by EXDATE. The clocks go back on 25 Oct, so 09:00 is 08:00 UTC before, 09:00 after.
STANDUP = """BEGIN:VEVENT
UID:standup@example.com
DTSTAMP:20260801T000000Z
DTSTART;TZID=Europe/London:20260901T090000
DTEND;TZID=Europe/London:20260901T100000
RRULE:FREQ=WEEKLY;COUNT=10
EXDATE;TZID=Europe/London:20261103T090000
SUMMARY:Team standup
END:VEVENT
BEGIN:VEVENT
UID:standup@example.com
DTSTAMP:20260801T000000Z
RECURRENCE-ID;TZID=Europe/London:20261013T090000
DTSTART;TZID=Europe/London:20261014T140000
DTEND;TZID=Europe/London:20261014T150000
SUMMARY:Team standup (moved)
END:VEVENT
BEGIN:VEVENT
UID:standup@example.com
DTSTAMP:20260801T000000Z
RECURRENCE-ID;TZID=Europe/London:20261020T090000
DTSTART;TZID=Europe/London:20261020T090000
DTEND;TZID=Europe/London:20261020T100000
STATUS:CANCELLED
SUMMARY:Team standup
END:VEVENT"""

HOLIDAY = """BEGIN:VEVENT
UID:holiday@example.com
DTSTAMP:20260801T000000Z
DTSTART;VALUE=DATE:20261009
DTEND;VALUE=DATE:20261010
SUMMARY:Holiday
END:VEVENT"""

FREE = """BEGIN:VEVENT
UID:free@example.com
DTSTAMP:20260801T000000Z
DTSTART;TZID=Europe/London:20261005T120000
DTEND;TZID=Europe/London:20261005T130000
TRANSP:TRANSPARENT
SUMMARY:Lunch (free)
END:VEVENT"""

# 22:00 on Saturday 24 Oct to 03:00 on Sunday 25 Oct, London: the night the clocks go back.
OVERNIGHT = """BEGIN:VEVENT
UID:overnight@example.com
DTSTAMP:20260801T000000Z
DTSTART;TZID=Europe/London:20261024T220000
DTEND;TZID=Europe/London:20261025T030000
SUMMARY:Database migration
END:VEVENT"""

EVENTS = {"standup": STANDUP, "holiday": HOLIDAY, "free": FREE, "overnight": OVERNIGHT}


def calendar(*events: str) -> str:
    """Return a VCALENDAR holding the events."""
    body = "\n".join([VTIMEZONE, *events])
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Rota tests//EN\n{body}\nEND:VCALENDAR\n"
    return text.replace("\n", "\r\n")


FULL_ICS = calendar(*EVENTS.values())


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


EXPECTED = [
    (utc(2026, 10, 6, 8), utc(2026, 10, 6, 9), False, "Team standup"),
    (utc(2026, 10, 8, 23), utc(2026, 10, 9, 23), True, "Holiday"),
    (utc(2026, 10, 14, 13), utc(2026, 10, 14, 14), False, "Team standup (moved)"),
    (utc(2026, 10, 24, 21), utc(2026, 10, 25, 3), False, "Database migration"),
    (utc(2026, 10, 27, 9), utc(2026, 10, 27, 10), False, "Team standup"),
]
