"""The paging feed (ICS per role, summary = email) and history from any ICS address."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest

from integrations.paging import services
from integrations.paging.models import PagingFeed
from scheduling.rotas import problem
from tests.cover.conftest import make_week
from tests.integrations.contract_base import Call, ContractServer, Reply

pytestmark = pytest.mark.django_db


def test_the_feed_names_the_on_call_person_by_email_per_role(
    clock, team, manager, engineer, client, manager_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        week = make_week(team, manager, engineer)
    response = manager_client.post(
        f"/teams/{team.slug}/integrations/paging/feeds/", {"role": "primary"}
    )
    assert response.status_code == 302
    row = PagingFeed.objects.get()
    page = manager_client.get(f"/teams/{team.slug}/integrations/").content.decode()
    url = f"/integrations/paging/feeds/{row.token}.ics"
    assert url in page
    feed = client.get(url)  # the address is the secret: no sign-in
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.content)
    events = {
        e.decoded("DTSTART").astimezone(UTC): str(e["SUMMARY"]) for e in calendar.walk("VEVENT")
    }
    assert set(events.values()) == {engineer.email, week.fred.email, week.carol.email}
    # Saturday's shift is 23 hours long: the DST change is in the feed's times too.
    saturday = datetime(2027, 3, 27, 9, tzinfo=UTC)
    assert events[saturday] == engineer.email
    sat = next(e for e in calendar.walk("VEVENT") if e.decoded("DTSTART") == saturday)
    assert sat.decoded("DTEND").astimezone(UTC) == datetime(2027, 3, 28, 8, tzinfo=UTC)
    # Renewing the address retires the old one.
    services.create_feed(team=team, role="primary", by=manager)
    assert client.get(url).status_code == 404


def test_the_feed_is_for_managers_only_to_create(team, engineer_client, outsider_client):
    url = f"/teams/{team.slug}/integrations/paging/feeds/"
    assert engineer_client.post(url, {"role": "primary"}).status_code == 403
    assert outsider_client.post(url, {"role": "primary"}).status_code == 404
    assert not PagingFeed.objects.exists()


ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Grafana OnCall export//EN\r
BEGIN:VEVENT\r
UID:a1\r
DTSTART:20270301T090000Z\r
DTEND:20270302T090000Z\r
SUMMARY:{email}\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:a2\r
DTSTART:20270302T090000Z\r
DTEND:20270303T090000Z\r
SUMMARY:On call\r
ATTENDEE;CN=Someone:mailto:{email}\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:a3\r
DTSTART:20270303T090000Z\r
DTEND:20270304T090000Z\r
SUMMARY:stranger@nowhere.test\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:future\r
DTSTART:20270401T090000Z\r
DTEND:20270402T090000Z\r
SUMMARY:{email}\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_history_from_an_ics_address_counts_as_past_shifts(
    clock, team, manager, engineer, django_capture_on_commit_callbacks
):
    body = ICS.format(email=engineer.email).encode()

    class IcsServer(ContractServer):
        def handle(self, call: Call) -> Reply:
            return Reply(200, raw=body, headers={"Content-Type": "text/calendar"})

    server = IcsServer()
    try:
        result = services.import_ics_history(
            team=team, role="primary", url=server.url + "/oncall.ics", by=manager
        )
    finally:
        server.stop()
    # Two past events name a member; the stranger is reported; the future one is not history.
    assert result.imported == 2 and result.unmatched == {"stranger@nowhere.test"}
    with django_capture_on_commit_callbacks(execute=True):
        week = make_week(team, manager, engineer)
    people = {p.id: p.past_shifts for p in problem.build(week.period).problem.people}
    assert people[problem.person_id(engineer.pk)] == 2


def test_an_ics_address_on_a_private_network_is_refused(team, manager, settings):
    settings.URL_FETCH_ALLOW = []
    with pytest.raises(services.PagingError, match="private or reserved"):
        services.import_ics_history(
            team=team, role="primary", url="http://127.0.0.1:1/x.ics", by=manager
        )
