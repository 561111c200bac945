"""ICS feeds: content, DST-correct times, conditional requests, constant queries, secret tokens."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calendars import services
from calendars.models import CalendarPreferences, TeamFeed
from tests.calendars.conftest import daily_shifts
from tests.calendars.factories import PeriodFactory, SeatFactory
from tests.factories import EscalationContactFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def feed_url(user) -> str:
    return reverse("calendars:feed", args=[CalendarPreferences.for_user(user).feed_token])


def events_of(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_personal_feed_describes_each_shift(client, rota, team, engineer, partner):
    EscalationContactFactory(
        team=team, position=0, name="Priya Raman", role="Engineering manager", phone="+442079460101"
    )
    EscalationContactFactory(
        team=team,
        position=1,
        name="Tom Hughes",
        role="Head of infrastructure",
        phone="+442079460102",
    )
    _period, shifts, seats = rota

    events = events_of(client.get(feed_url(engineer)))

    assert len(events) == 3
    first = events[0]
    assert str(first["summary"]) == "On call: Payments — Primary"
    assert str(first["uid"]) == f"seat-{seats[0].pk}-user-{engineer.pk}@127.0.0.1"
    assert first.decoded("dtstart") == shifts[0].starts_at
    assert first.decoded("dtend") == shifts[0].ends_at
    assert str(first["transp"]) == "TRANSPARENT"
    assert str(first["status"]) == "CONFIRMED"
    text = str(first["description"])
    assert f"Partner: Pat Partner (Secondary), {partner.oncall_phone}" in text
    assert text.index("1. Priya Raman") < text.index("2. Tom Hughes")
    assert "Handoff: take over at 09:00" in text
    assert f"/shifts/{shifts[0].pk}/" in text
    assert "Can't make it? http://127.0.0.1:8000/c/" in text


def test_vtimezone_only_covers_the_years_used(client, rota, engineer):
    cal = icalendar.Calendar.from_ical(client.get(feed_url(engineer)).content)
    zones = cal.walk("VTIMEZONE")
    assert [str(z["tzid"]) for z in zones] == ["Europe/London"]
    starts = [part.decoded("dtstart").year for part in zones[0].subcomponents]
    this_year = datetime.now(UTC).year
    assert min(starts) >= this_year - 1 and max(starts) <= this_year + 1
    assert 1970 not in starts


def test_show_as_busy_makes_events_opaque(
    client, rota, engineer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_preferences(user=engineer, email_invites=False, show_as_busy=True)
    events = events_of(client.get(feed_url(engineer)))
    assert {str(e["transp"]) for e in events} == {"OPAQUE"}
    assert {int(e["sequence"]) for e in events} == {1}


@pytest.mark.parametrize(
    ("zone", "spring", "autumn"),
    [
        ("Europe/London", date(2027, 3, 27), date(2027, 10, 30)),
        ("America/New_York", date(2027, 3, 13), date(2027, 11, 6)),
    ],
)
def test_shifts_across_dst_changes_parse_to_the_right_instants(
    client, manager, publish_rota, zone, spring, autumn
):
    with time_machine.travel(datetime(2027, 3, 1, 12, tzinfo=UTC), tick=False):
        team = TeamFactory(timezone=zone)
        MembershipFactory(team=team, user=manager, role="manager")
        person = MembershipFactory(team=team).user
        period = PeriodFactory(team=team, starts_on=spring, ends_on=autumn + timedelta(days=3))
        shifts = daily_shifts(team, period, spring, 3) + daily_shifts(team, period, autumn, 3)
        for shift in shifts:
            SeatFactory(shift=shift, role="primary", proposed_holder=person)
        publish_rota(period, manager)

        response = client.get(feed_url(person))
    cal = icalendar.Calendar.from_ical(response.content)
    by_uid = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    expanded = recurring_ical_events.of(cal).between(datetime(2027, 3, 1), datetime(2027, 12, 1))
    assert len(expanded) == len(shifts) == len(by_uid)
    starts = sorted(e["DTSTART"].dt for e in expanded)
    assert starts == [s.starts_at for s in shifts]
    assert all(start.tzinfo is not None for start in starts)
    # Subtract in UTC: Python subtracts two times of one zone by the wall clock.
    hours = sorted(
        (e["DTEND"].dt.astimezone(UTC) - e["DTSTART"].dt.astimezone(UTC)).total_seconds() / 3600
        for e in expanded
    )
    # One short night in spring, one long night in autumn, the rest 24 hours.
    assert hours == [23.0, 24.0, 24.0, 24.0, 24.0, 25.0]
    for shift in shifts:
        event = next(e for e in by_uid.values() if e.decoded("dtstart") == shift.starts_at)
        assert event.decoded("dtstart").astimezone(zoneinfo.ZoneInfo(zone)).hour == 9


def test_feed_answers_304_until_something_changes(client, rota, team, manager, engineer, reassign):
    _period, _shifts, seats = rota
    url = feed_url(engineer)
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    reassign(seats[0], MembershipFactory(team=team).user, manager)

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag


def test_removed_shift_stays_cancelled_in_the_feed_for_30_days(
    client, team, manager, engineer, publish_rota, reassign
):
    period = PeriodFactory(team=team)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=90)
    shift = daily_shifts(team, period, start.date(), 1)[0]
    seat = SeatFactory(shift=shift, proposed_holder=engineer)
    publish_rota(period, manager)
    reassign(seat, MembershipFactory(team=team).user, manager)

    events = events_of(client.get(feed_url(engineer)))
    assert [(str(e["status"]), int(e["sequence"])) for e in events] == [("CANCELLED", 1)]
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        assert events_of(client.get(feed_url(engineer))) == []


def test_feed_window_is_the_past_30_days_and_the_next_12_months(
    client, team, manager, engineer, publish_rota
):
    period = PeriodFactory(team=team)
    today = datetime.now(UTC).date()
    shifts = [
        daily_shifts(team, period, today + timedelta(days=offset), 1)[0]
        for offset in (-40, -10, 300, 400)
    ]
    for shift in shifts:
        SeatFactory(shift=shift, proposed_holder=engineer)
    publish_rota(period, manager)
    starts = sorted(e.decoded("dtstart") for e in events_of(client.get(feed_url(engineer))))
    assert starts == [shifts[1].starts_at, shifts[2].starts_at]


def test_feed_queries_do_not_grow_with_the_number_of_shifts(
    client, team, manager, engineer, partner, publish_rota
):
    def build(days: int, first: date) -> None:
        period = PeriodFactory(team=team, starts_on=first, ends_on=first + timedelta(days=days))
        for shift in daily_shifts(team, period, first, days):
            SeatFactory(shift=shift, role="primary", proposed_holder=engineer)
            SeatFactory(shift=shift, role="secondary", proposed_holder=partner)
        publish_rota(period, manager)

    today = datetime.now(UTC).date()
    build(3, today + timedelta(days=1))
    url = feed_url(engineer)
    client.get(url)  # the first read also records that the feed is used
    cache.clear()  # measure rendering, not the kept text
    with CaptureQueriesContext(connection) as small:
        assert len(events_of(client.get(url))) == 3
    build(30, today + timedelta(days=10))
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert len(events_of(client.get(url))) == 33
    assert len(small.captured_queries) == len(large.captured_queries)


def test_regenerating_the_token_revokes_the_old_feed(client, rota, engineer):
    old = feed_url(engineer)
    assert client.get(old).status_code == 200
    services.regenerate_feed_token(user=engineer)
    assert client.get(old).status_code == 404
    assert client.get(feed_url(engineer)).status_code == 200


def test_team_feed_shows_everyones_shifts_and_is_unguessable(
    client, rota, team, other_team, engineer, partner
):
    token = TeamFeed.for_team(team).token
    events = events_of(client.get(reverse("calendars:team_feed", args=[token])))
    summaries = sorted(str(e["summary"]) for e in events)
    assert len(events) == 6
    assert summaries[0] == "On call: Payments — Primary: Eddie Engineer"
    assert "Can't make it?" not in str(events[0]["description"])
    # Ids, slugs and other teams' tokens do not open it.
    for guess in (str(team.pk), team.slug, "payments", TeamFeed.for_team(other_team).token[:-1]):
        assert client.get(f"/calendars/team/{guess}.ics").status_code == 404
    other = client.get(reverse("calendars:team_feed", args=[TeamFeed.for_team(other_team).token]))
    assert events_of(other) == []


def test_unknown_personal_token_is_404(client, db):
    assert client.get("/calendars/feed/not-a-token.ics").status_code == 404


def test_feed_only_answers_get_and_head(client, rota, engineer):
    assert client.post(feed_url(engineer)).status_code == 405
    assert client.head(feed_url(engineer)).status_code == 200


def test_an_unchanged_feed_is_served_from_the_cache_and_busy_changes_its_tag(
    client, rota, engineer
):
    url = feed_url(engineer)
    first = client.get(url)
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert second.content == first.content
    assert len(again.captured_queries) < 4  # token, version, read mark: nothing rendered
    # Only the busy choice changes (no entry is touched): the tag and the text must follow it.
    CalendarPreferences.objects.filter(user=engineer).update(show_as_busy=True)
    third = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert third.status_code == 200
    assert third["ETag"] != first["ETag"]
    assert b"TRANSP:OPAQUE" in third.content and b"TRANSP:OPAQUE" not in first.content
