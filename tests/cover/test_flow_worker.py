"""The whole flow through a real Celery worker on Redis, with PostgreSQL, Radicale and SMTP.

can't make it → candidates asked → one declines → the next agrees → the seat moves → both
people's CalDAV calendars and feeds show it → emails sent.
"""

from __future__ import annotations

import re

import caldav
import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from calendars import services as calendars
from calendars.models import CalendarPreferences, PushTarget
from calendars.sync import entry_uid
from scheduling.cover import services as cover_services
from scheduling.rotas.models import Seat
from tests.services import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_env(smtp_sink) -> dict[str, str]:
    """Send the worker's mail to the test's SMTP sink."""
    return {"EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink[1]}"}


def mails_to(sink, address: str, subject_part: str) -> list:
    return [m for m in sink.messages if address in m["To"] and subject_part in m["Subject"]]


def link_in(message, word: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(rf"{word}:\s+\S*?(/c/cover/[^\s]+)", body)
    assert match, body
    return match.group(1)


def caldav_uids(user) -> set[str]:
    target = PushTarget.objects.get(user=user)
    client = caldav.DAVClient(
        url=target.server_url, username=target.username, password=target.password
    )
    calendar = client.calendar(url=target.calendar_url)
    uids = set()
    for event in calendar.events():
        for component in icalendar.Calendar.from_ical(event.data).walk("VEVENT"):
            uids.add(str(component["UID"]))
    return uids


def feed_uids(user) -> dict[str, str]:
    token = CalendarPreferences.for_user(user).feed_token
    body = Client().get(reverse("calendars:feed", args=[token])).content
    return {
        str(e["UID"]): str(e.get("STATUS", "CONFIRMED"))
        for e in icalendar.Calendar.from_ical(body).walk("VEVENT")
    }


def test_cant_make_it_to_covered_through_the_worker(live_week, celery_worker, radicale, smtp_sink):
    sink, _port = smtp_sink
    week = live_week
    requester, alice, bob = week.requester, week.alice, week.bob
    for user, account in ((requester, "carol"), (bob, "bob")):
        calendars.connect_push(
            user=user,
            server_url=radicale.url,
            username=account,
            password=radicale.users[account],
            calendar_name="On call",
        )
    seat = week.seat
    mine, theirs = (
        entry_uid(seat_id=seat.pk, user_id=requester.pk),
        entry_uid(seat_id=seat.pk, user_id=bob.pk),
    )
    wait_until("the requester's shift in CalDAV", lambda: mine in caldav_uids(requester))

    # The calendars' signed link calls this entry point.
    request = cover_services.cant_make_it(seat=seat, user=requester, reason="family emergency")
    asked = wait_until("the first ask email", lambda: mails_to(sink, alice.email, "Can you cover"))
    assert Client().post(link_in(asked[0], "Decline")).status_code == 200

    asked = wait_until("the second ask email", lambda: mails_to(sink, bob.email, "Can you cover"))
    response = Client().post(link_in(asked[0], "Agree"))
    assert "the shift is yours" in response.content.decode()

    assert Seat.objects.get(pk=seat.pk).holder == bob
    wait_until("Bob's CalDAV event", lambda: theirs in caldav_uids(bob))
    wait_until("the requester's CalDAV event to go", lambda: mine not in caldav_uids(requester))
    assert feed_uids(bob).get(theirs) == "CONFIRMED"
    assert feed_uids(requester).get(mine) == "CANCELLED"
    for person in (requester, bob, week.partner, week.manager):
        wait_until(
            f"the covered email to {person.name}",
            lambda p=person: mails_to(sink, p.email, "Covered"),
        )
    request.refresh_from_db()
    assert request.state == "covered" and request.covered_by == bob
