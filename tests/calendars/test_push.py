"""CalDAV push to a real Radicale: create, move, delete, no requests if unchanged, outage, 401."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import caldav
import pytest
import requests
import time_machine
from django.core import mail
from django.urls import reverse

from calendars import services, sync
from calendars.models import Channel, Delivery, PushTarget
from tests.calendars.conftest import entry_of
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def connect(user, radicale, name: str) -> PushTarget:
    return services.connect_push(
        user=user,
        server_url=radicale.url,
        username=name,
        password=radicale.users[name],
        calendar_name="On call",
    )


def read_back(radicale, name: str) -> dict[str, int]:
    """Return UID → SEQUENCE of the person's "On call" events, read with a separate client."""
    client = caldav.DAVClient(url=radicale.url, username=name, password=radicale.users[name])
    calendar = next(c for c in client.principal().calendars() if c.name == "On call")
    found = {}
    for item in calendar.events():
        event = item.icalendar_instance.walk("VEVENT")[0]
        found[str(event["uid"])] = int(event["sequence"])
    return found


@pytest.fixture
def request_counter(monkeypatch):
    """Count every HTTP request this process sends (the CalDAV client uses requests)."""
    sent = []
    original = requests.Session.send

    def send(self, request, **kwargs):
        sent.append(f"{request.method} {request.url}")
        return original(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", send)
    return sent


@pytest.fixture
def pushed(radicale, team, manager, engineer, partner, django_capture_on_commit_callbacks, request):
    """Engineer → alice, partner → bob, newcomer → carol; then the rota is published."""
    newcomer = MembershipFactory(team=team, user__display_name="Nia Newcomer").user
    with django_capture_on_commit_callbacks(execute=True):
        connect(engineer, radicale, "alice")
        connect(partner, radicale, "bob")
        connect(newcomer, radicale, "carol")
    rota = request.getfixturevalue("rota")
    return rota, newcomer


@pytest.mark.slow
def test_publish_reassign_republish_and_an_outage(
    radicale,
    pushed,
    team,
    manager,
    engineer,
    partner,
    reassign,
    publish_rota,
    request_counter,
    django_capture_on_commit_callbacks,
):
    (period, shifts, seats), newcomer = pushed
    uid = {
        (s.pk, u.pk): f"seat-{s.pk}-user-{u.pk}@127.0.0.1"
        for s in seats
        for u in (engineer, partner, newcomer)
    }

    # Published: every holder's events are in their calendar.
    alice = read_back(radicale, "alice")
    assert alice == {uid[(seats[i].pk, engineer.pk)]: 0 for i in (0, 2, 4)}
    assert read_back(radicale, "bob") == {uid[(seats[i].pk, partner.pk)]: 0 for i in (1, 3, 5)}
    assert PushTarget.objects.get(user=engineer).last_push_at is not None

    # Reassign one seat: exactly that event moves; the partner's text changed, so theirs is re-sent.
    request_counter.clear()
    reassign(seats[0], newcomer, manager)
    writes = sorted(r.split()[0] for r in request_counter)
    assert writes == ["DELETE", "PUT", "PUT"]  # alice's delete, carol's new event, bob's update
    assert read_back(radicale, "alice") == {uid[(seats[i].pk, engineer.pk)]: 0 for i in (2, 4)}
    assert read_back(radicale, "carol") == {uid[(seats[0].pk, newcomer.pk)]: 0}
    bob = read_back(radicale, "bob")
    assert bob[uid[(seats[1].pk, partner.pk)]] == 1
    assert bob[uid[(seats[3].pk, partner.pk)]] == 0

    # Re-publishing an unchanged rota, and the sweep, make no requests at all.
    request_counter.clear()
    publish_rota(period, manager)
    with django_capture_on_commit_callbacks(execute=True):
        sync.sweep()
    assert request_counter == []

    # Radicale down: the change waits, with the error shown, and is delivered after the restart.
    radicale.stop()
    reassign(seats[2], newcomer, manager)
    waiting = Delivery.objects.get(entry=entry_of(engineer, seats[2]), channel=Channel.CALDAV)
    assert waiting.pending and waiting.attempts == 1 and "connect" in waiting.last_error
    assert PushTarget.objects.get(user=engineer).last_error
    radicale.start()
    with (
        time_machine.travel(datetime.now(UTC) + timedelta(minutes=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sync.sweep()
    assert read_back(radicale, "alice") == {uid[(seats[4].pk, engineer.pk)]: 0}
    assert read_back(radicale, "carol") == {
        uid[(seats[0].pk, newcomer.pk)]: 0,
        uid[(seats[2].pk, newcomer.pk)]: 0,
    }
    assert not Delivery.objects.filter(pending=True).exists()


def test_a_refused_password_marks_the_connection_broken_and_keeps_the_changes(
    radicale,
    pushed,
    team,
    manager,
    engineer,
    reassign,
    django_capture_on_commit_callbacks,
    request_counter,
):
    (_period, _shifts, seats), newcomer = pushed
    target = PushTarget.objects.get(user=engineer)
    target.password = "wrong-pass"
    target.save()
    mail.outbox.clear()

    reassign(seats[0], newcomer, manager)
    reassign(seats[2], newcomer, manager)

    target.refresh_from_db()
    assert target.is_broken
    assert "refused" in target.last_error
    warnings = [m for m in mail.outbox if "stopped updating" in m.subject]
    assert [m.to for m in warnings] == [[engineer.contact_email]]  # once, though two changes failed
    assert (
        Delivery.objects.filter(entry__user=engineer, channel=Channel.CALDAV, pending=True).count()
        == 2
    )
    # While broken, the sweep makes no requests for this person.
    request_counter.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sync.sweep()
    assert not any("alice" in r for r in request_counter)

    # Fixing the password delivers what waited.
    with django_capture_on_commit_callbacks(execute=True):
        connect(engineer, radicale, "alice")
    assert not PushTarget.objects.get(user=engineer).is_broken
    assert read_back(radicale, "alice") == {f"seat-{seats[4].pk}-user-{engineer.pk}@127.0.0.1": 0}


def test_server_errors_back_off_exponentially(
    radicale, pushed, team, manager, engineer, reassign, monkeypatch
):
    from calendars import push

    (_period, _shifts, seats), newcomer = pushed

    class Answer:
        status = 503

    monkeypatch.setattr(caldav.DAVClient, "delete", lambda self, url: Answer())
    start = datetime.now(UTC)
    reassign(seats[0], newcomer, manager)
    delivery = Delivery.objects.get(entry=entry_of(engineer, seats[0]), channel=Channel.CALDAV)
    assert delivery.pending and delivery.attempts == 1 and "503" in delivery.last_error
    for attempts, minutes in ((2, 2), (3, 4)):
        with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
            push.push_pending(user=engineer)
        delivery.refresh_from_db()
        assert delivery.attempts == attempts
        assert timedelta(minutes=minutes) <= delivery.next_attempt_at - start


def test_switching_to_another_calendar_pushes_every_shift_again(
    radicale, pushed, engineer, django_capture_on_commit_callbacks
):
    (_period, _shifts, seats), _newcomer = pushed
    with django_capture_on_commit_callbacks(execute=True):
        services.connect_push(
            user=engineer,
            server_url=radicale.url,
            username="alice",
            password="alice-pass",
            calendar_name="Work shifts",
        )
    client = caldav.DAVClient(url=radicale.url, username="alice", password="alice-pass")
    calendar = next(c for c in client.principal().calendars() if c.name == "Work shifts")
    uids = {str(e.icalendar_instance.walk("VEVENT")[0]["uid"]) for e in calendar.events()}
    assert uids == {f"seat-{seats[i].pk}-user-{engineer.pk}@127.0.0.1" for i in (0, 2, 4)}


def test_stopping_with_removal_deletes_every_pushed_event_then_forgets_the_connection(
    radicale, pushed, engineer, manager, reassign, django_capture_on_commit_callbacks
):
    (_period, _shifts, seats), newcomer = pushed
    assert len(read_back(radicale, "alice")) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.disconnect_push(user=engineer, remove_events=True)
    assert read_back(radicale, "alice") == {}
    assert not PushTarget.objects.filter(user=engineer).exists()
    assert not Delivery.objects.filter(entry__user=engineer, channel=Channel.CALDAV).exists()
    assert len(read_back(radicale, "bob")) == 3  # nobody else's calendar is touched
    # Later changes reach the calendar no more.
    reassign(seats[1], engineer, manager)
    assert not Delivery.objects.filter(entry__user=engineer, channel=Channel.CALDAV).exists()


def test_stopping_without_removal_leaves_the_events(
    radicale, pushed, engineer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.disconnect_push(user=engineer, remove_events=False)
    assert len(read_back(radicale, "alice")) == 3
    assert not PushTarget.objects.filter(user=engineer).exists()


def test_removal_waits_for_a_server_that_is_down_and_shows_as_removing(
    radicale, pushed, engineer, client_for, django_capture_on_commit_callbacks
):
    radicale.stop()
    client = client_for(engineer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calendars:push_disconnect"), {"remove_events": "1"})
    assert response.status_code == 302
    target = PushTarget.objects.get(user=engineer)
    assert target.is_removing and "connect" in target.last_error
    left = Delivery.objects.filter(entry__user=engineer, channel=Channel.CALDAV)
    assert left.count() == 3 and all(d.pending and d.attempts == 1 for d in left)
    page = client.get(reverse("calendars:home")).content.decode()
    assert "Removing" in page and "Events left to remove" in page
    radicale.start()
    with (
        time_machine.travel(datetime.now(UTC) + timedelta(minutes=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sync.sweep()
    assert read_back(radicale, "alice") == {}
    assert not PushTarget.objects.filter(user=engineer).exists()
