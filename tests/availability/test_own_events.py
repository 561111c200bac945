"""Rota's own on-call events, pushed to a calendar the person also imports, are not busy time."""

import zoneinfo
from datetime import UTC, datetime

from scheduling.availability import ics_import as ical

LONDON = zoneinfo.ZoneInfo("Europe/London")

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:seat-41-user-7@{host}
DTSTART:20270310T090000Z
DTEND:20270311T090000Z
SUMMARY:On call: Payments — Primary
END:VEVENT
BEGIN:VEVENT
UID:dentist-1@example.org
DTSTART:20270312T140000Z
DTEND:20270312T150000Z
SUMMARY:Dentist
END:VEVENT
END:VCALENDAR
"""


def _blocks(host: str):
    calendar = ical.parse(CALENDAR.format(host=host))
    return ical.busy_blocks(
        calendar,
        start=datetime(2027, 3, 1, tzinfo=UTC),
        end=datetime(2027, 4, 1, tzinfo=UTC),
        zone=LONDON,
    )


def test_our_own_shift_events_are_skipped(settings):
    settings.SITE_URL = "https://rota.example.com"
    assert [b.summary for b in _blocks("rota.example.com")] == ["Dentist"]


def test_another_rota_sites_events_still_count(settings):
    settings.SITE_URL = "https://rota.example.com"
    assert [b.summary for b in _blocks("rota.other.org")] == [
        "On call: Payments — Primary",
        "Dentist",
    ]
