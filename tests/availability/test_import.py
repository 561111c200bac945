"""Importing busy blocks from an ICS address and from a real Radicale CalDAV server."""

from __future__ import annotations

import caldav
import pytest
import time_machine
from django.core import mail
from django.db import connection as db_connection

from scheduling.availability import connections as service
from scheduling.availability.models import BusyBlock, CalendarConnection
from tests.availability import calendar_data as data
from tests.availability.factories import ConnectionFactory


def blocks_of(connection: CalendarConnection) -> list[tuple]:
    return [
        (b.start, b.end, b.all_day, b.summary)
        for b in BusyBlock.objects.filter(connection=connection).order_by("start")
    ]


def import_at_test_time(connection: CalendarConnection) -> int:
    connection.refresh_from_db()
    with time_machine.travel(data.IMPORT_AT, tick=True):
        return service.import_connection(connection=connection)


def test_ics_url_import_matches_the_calendar_exactly(engineer, ics_server):
    url = ics_server.serve("/cal.ics", data.FULL_ICS)
    connection = service.add_ics_connection(user=engineer, name="Work", url=url)

    assert import_at_test_time(connection) == len(data.EXPECTED)

    assert blocks_of(connection) == data.EXPECTED
    connection.refresh_from_db()
    assert connection.blocks_imported == 5
    assert connection.last_success_at is not None
    assert connection.last_error == ""


def test_all_day_event_follows_the_owner_time_zone(engineer, ics_server):
    engineer.timezone = "America/New_York"
    engineer.save()
    url = ics_server.serve("/holiday.ics", data.calendar(data.HOLIDAY))
    connection = ConnectionFactory(user=engineer, ics_url=url)

    import_at_test_time(connection)

    assert blocks_of(connection) == [
        (data.utc(2026, 10, 9, 4), data.utc(2026, 10, 10, 4), True, "Holiday")
    ]


def test_caldav_import_from_radicale_matches_exactly(engineer, radicale):
    client = caldav.DAVClient(radicale.url, username="alice", password=radicale.users["alice"])
    calendar = client.principal().make_calendar(name="Work")
    for event in data.EVENTS.values():
        calendar.save_event(data.calendar(event))
    other = client.principal().make_calendar(name="Birthdays")

    connection, calendars = service.add_caldav_connection(
        user=engineer,
        name="Radicale",
        server_url=radicale.url,
        username="alice",
        password=radicale.users["alice"],
    )
    assert {name for _url, name in calendars} == {"Work", "Birthdays"}
    assert str(other.url) in dict(calendars)
    service.pick_calendar(connection=connection, calendar_url=str(calendar.url), by=engineer)

    assert import_at_test_time(connection) == 5
    assert blocks_of(connection) == data.EXPECTED


def test_caldav_wrong_password_is_refused_readably(engineer, radicale):
    with pytest.raises(service.CalendarFetchError, match="401"):
        service.add_caldav_connection(
            user=engineer,
            name="Radicale",
            server_url=radicale.url,
            username="alice",
            password="nope",
        )
    assert not CalendarConnection.objects.exists()


def test_caldav_server_down_keeps_blocks(engineer, radicale):
    client = caldav.DAVClient(radicale.url, username="bob", password=radicale.users["bob"])
    calendar = client.principal().make_calendar(name="Work")
    calendar.save_event(data.calendar(data.HOLIDAY))
    connection, _ = service.add_caldav_connection(
        user=engineer,
        name="R",
        server_url=radicale.url,
        username="bob",
        password=radicale.users["bob"],
    )
    service.pick_calendar(connection=connection, calendar_url=str(calendar.url), by=engineer)
    import_at_test_time(connection)
    radicale.stop()

    import_at_test_time(connection)

    connection.refresh_from_db()
    assert len(blocks_of(connection)) == 1
    assert "Could not connect" in connection.last_error
    assert connection.consecutive_failures == 1


def _with_good_import(engineer, ics_server) -> CalendarConnection:
    url = ics_server.serve("/cal.ics", data.FULL_ICS)
    connection = ConnectionFactory(user=engineer, ics_url=url)
    import_at_test_time(connection)
    assert len(blocks_of(connection)) == 5
    return connection


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ({"body": "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n"}, "could not be read"),
        ({"body": "<html>Sign in</html>"}, "not an iCalendar"),
        ({"body": "Unauthorized", "status": 401}, "401 Unauthorized"),
        ({"body": data.FULL_ICS, "delay": 3.0}, "did not answer within 1 second"),
        ({"body": data.FULL_ICS + " " * 6000}, "larger than the limit"),
    ],
    ids=["malformed", "not-ics", "401", "timeout", "oversized"],
)
def test_failed_import_keeps_previous_blocks_and_says_why(
    engineer, ics_server, settings, route, message
):
    connection = _with_good_import(engineer, ics_server)
    settings.URL_FETCH_TIMEOUT = 1
    settings.CALENDAR_IMPORT_MAX_BYTES = len(data.FULL_ICS) + 1000
    body = route.pop("body")
    ics_server.serve("/cal.ics", body, **route)

    assert import_at_test_time(connection) == 0

    connection.refresh_from_db()
    assert blocks_of(connection) == data.EXPECTED
    assert message in connection.last_error
    assert connection.consecutive_failures == 1
    assert connection.is_failing


def test_three_consecutive_failures_email_the_owner_once(
    engineer, ics_server, django_capture_on_commit_callbacks
):
    connection = _with_good_import(engineer, ics_server)
    ics_server.serve("/cal.ics", "gone", status=404)

    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            import_at_test_time(connection)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [engineer.email]
    assert connection.name in mail.outbox[0].subject
    assert "404" in mail.outbox[0].body
    ics_server.serve("/cal.ics", data.FULL_ICS)
    import_at_test_time(connection)
    connection.refresh_from_db()
    assert connection.consecutive_failures == 0


def test_override_survives_a_reimport(engineer, ics_server):
    connection = _with_good_import(engineer, ics_server)
    holiday = BusyBlock.objects.get(connection=connection, summary="Holiday")
    BusyBlock.objects.filter(pk=holiday.pk).update(overridden=True)

    import_at_test_time(connection)

    assert list(
        BusyBlock.objects.filter(connection=connection, overridden=True).values_list(
            "summary", flat=True
        )
    ) == ["Holiday"]


def test_redirect_to_a_blocked_address_is_refused(engineer, ics_server, settings):
    url = ics_server.serve(
        "/moved.ics", "", status=302, headers={"Location": "http://10.0.0.1/cal.ics"}
    )
    connection = ConnectionFactory(user=engineer, ics_url=url)

    import_at_test_time(connection)

    connection.refresh_from_db()
    assert "10.0.0.1" in connection.last_error
    assert "private or reserved" in connection.last_error


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/cal.ics", "http://169.254.169.254/latest/meta-data"]
)
def test_adding_a_blocked_address_is_refused(engineer, url):
    with pytest.raises(service.CalendarFetchError, match="private or reserved"):
        service.add_ics_connection(user=engineer, name="Sneaky", url=url)
    assert not CalendarConnection.objects.exists()


def test_secrets_are_not_stored_in_plain_text(engineer):
    connection = ConnectionFactory(
        user=engineer,
        ics_url="https://calendar.example.com/secret-token-123/basic.ics",
        password="app-pass-456",
    )
    with db_connection.cursor() as cursor:
        cursor.execute(
            "SELECT ics_url, password FROM availability_calendarconnection WHERE id = %s",
            [connection.pk],
        )
        raw_url, raw_password = cursor.fetchone()

    assert "secret-token-123" not in raw_url
    assert "app-pass-456" not in raw_password
    assert raw_url.startswith("gAAAA")  # a Fernet token
    connection.refresh_from_db()
    assert connection.ics_url == "https://calendar.example.com/secret-token-123/basic.ics"
    assert connection.password == "app-pass-456"
