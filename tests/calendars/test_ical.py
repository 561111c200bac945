"""The iCalendar writer: bounded VTIMEZONEs, ambiguous hours, escaping, folding, iTIP."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import icalendar

from calendars import ical

NOW = datetime(2027, 1, 10, 12, tzinfo=UTC)


def make(start: datetime, hours: int = 24, **kwargs) -> ical.EventData:
    values = dict(
        uid="seat-1-user-2@rota.example",
        sequence=3,
        start=start,
        end=start + timedelta(hours=hours),
        tzid="Europe/London",
        summary="On call: Payments — Primary",
        description="Role: Primary",
        changed_at=NOW,
        created_at=NOW - timedelta(days=1),
    )
    values.update(kwargs)
    return ical.EventData(**values)


def test_vtimezone_lists_only_the_transitions_of_the_years_used():
    text = ical.vtimezone("Europe/London", 2027, 2027)
    cal = icalendar.Calendar.from_ical(
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{text}\r\nEND:VCALENDAR\r\n"
    )
    parts = cal.walk("VTIMEZONE")[0].subcomponents
    assert [(p.name, p.decoded("dtstart")) for p in parts] == [
        ("STANDARD", datetime(2027, 1, 1)),
        ("DAYLIGHT", datetime(2027, 3, 28, 1)),
        ("STANDARD", datetime(2027, 10, 31, 2)),
    ]


def test_a_zone_without_dst_gets_one_observance():
    assert ical.transitions("Asia/Singapore", 2026, 2028) == ()
    assert ical.vtimezone("Asia/Singapore", 2026, 2028).count("BEGIN:STANDARD") == 1


def test_new_york_transitions_are_found_to_the_second():
    changes = ical.transitions("America/New_York", 2027, 2027)
    assert [c.at for c in changes] == [
        datetime(2027, 3, 14, 7, tzinfo=UTC),
        datetime(2027, 11, 7, 6, tzinfo=UTC),
    ]
    assert [c.name_after for c in changes] == ["EDT", "EST"]


def test_an_ambiguous_local_time_is_written_in_utc():
    # 01:30 happens twice in London on 31 October 2027; this is the second one (GMT).
    second = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    text = ical.feed([make(second, hours=8)], name="x").decode()
    assert "DTSTART:20271031T013000Z" in text
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert event.decoded("dtstart") == second
    assert event.decoded("dtend") == second + timedelta(hours=8)


def test_text_is_escaped_and_long_lines_folded_at_75_octets():
    description = "Partner: Zoë Ångström, +44 7700; call first\n" + "é" * 100
    text = ical.feed([make(NOW, description=description)], name="Zoë's shifts").decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(event["description"]) == description


def test_itip_request_and_cancel_carry_organizer_attendee_and_sequence():
    request = icalendar.Calendar.from_ical(
        ical.itip(
            make(NOW),
            organizer=("Rota", "rota@example.com"),
            attendee=("Ann, B", "ann@example.com"),
        )
    )
    assert str(request["method"]) == "REQUEST"
    event = request.walk("VEVENT")[0]
    assert str(event["organizer"]) == "mailto:rota@example.com"
    assert str(event["attendee"]) == "mailto:ann@example.com"
    assert event["attendee"].params["CN"] == "Ann, B"
    assert int(event["sequence"]) == 3
    cancel = icalendar.Calendar.from_ical(
        ical.itip(
            make(NOW, cancelled=True),
            organizer=("Rota", "rota@example.com"),
            attendee=("Ann", "ann@example.com"),
        )
    )
    assert str(cancel["method"]) == "CANCEL"
    assert str(cancel.walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_dtstamp_is_the_change_time():
    event = icalendar.Calendar.from_ical(ical.resource(make(NOW))).walk("VEVENT")[0]
    assert event.decoded("dtstamp") == NOW
    assert event.decoded("last-modified") == NOW
    assert event.decoded("dtstart").tzinfo == zoneinfo.ZoneInfo("Europe/London")
