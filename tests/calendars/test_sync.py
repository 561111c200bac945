"""The SeatChange outbox becomes calendar entries exactly once, with rising SEQUENCEs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from calendars import sync
from calendars.models import (
    CalendarEntry,
    CalendarPreferences,
    Channel,
    Delivery,
    ProcessedChange,
    PushTarget,
)
from scheduling.rotas.models import SeatChange
from tests.calendars.conftest import entry_of
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_publishing_creates_one_entry_per_person_and_seat(rota, engineer, partner):
    _period, shifts, seats = rota
    assert CalendarEntry.objects.count() == 6
    entry = entry_of(engineer, seats[0])
    assert entry.sequence == 0
    assert entry.status == "confirmed"
    assert entry.uid == f"seat-{seats[0].pk}-user-{engineer.pk}@127.0.0.1"
    # Every change was claimed, so the sweep has nothing left.
    assert sync.unprocessed_changes() == []
    assert ProcessedChange.objects.count() == SeatChange.objects.count() == 6


def test_reassigning_cancels_the_old_holders_entry_and_creates_the_new_one(
    rota, team, manager, engineer, partner, reassign
):
    _period, _shifts, seats = rota
    newcomer = MembershipFactory(team=team, user__display_name="Nia Newcomer").user
    before = entry_of(engineer, seats[0])
    untouched = entry_of(engineer, seats[2])

    reassign(seats[0], newcomer, manager)

    old = entry_of(engineer, seats[0])
    assert old.status == "cancelled"
    assert old.sequence == before.sequence + 1
    assert old.cancelled_at is not None
    new = entry_of(newcomer, seats[0])
    assert new.status == "confirmed" and new.sequence == 0
    # The partner's entry names the new partner, so it changed too.
    assert entry_of(partner, seats[1]).sequence == 1
    # Other shifts are untouched.
    assert entry_of(engineer, seats[2]).sequence == untouched.sequence


def test_getting_a_seat_back_reopens_the_same_entry_with_a_higher_sequence(
    rota, team, manager, engineer, reassign
):
    _period, _shifts, seats = rota
    other = MembershipFactory(team=team).user
    reassign(seats[0], other, manager)
    reassign(seats[0], engineer, manager)
    entry = entry_of(engineer, seats[0])
    assert entry.status == "confirmed"
    assert entry.sequence == 2
    assert entry.cancelled_at is None
    assert CalendarEntry.objects.filter(user=engineer, seat=seats[0]).count() == 1


def test_republishing_an_unchanged_rota_changes_nothing(rota, manager, publish_rota):
    period, _shifts, _seats = rota
    before = list(CalendarEntry.objects.order_by("pk").values_list("sequence", "changed_at"))
    assert publish_rota(period, manager) is None
    # Even forcing a re-check of every shift finds nothing to change.
    changed = sync.sync_shifts(shift_ids=[s.pk for s in period.shifts.all()], at=datetime.now(UTC))
    assert changed == set()
    assert (
        list(CalendarEntry.objects.order_by("pk").values_list("sequence", "changed_at")) == before
    )


def test_a_change_is_applied_exactly_once(rota, team, manager, engineer):
    _period, _shifts, seats = rota
    other = MembershipFactory(team=team).user
    seat = seats[0]
    # Written as the publishing service does, but without its signal: a worker that was down.
    seat.holder = other
    seat.save(update_fields=["holder"])
    change = SeatChange.objects.create(
        seat=seat, old_holder=engineer, new_holder=other, version=2, reason="edit"
    )

    assert sync.unprocessed_changes() == [change.pk]
    assert sync.process_change(change_id=change.pk) is True
    assert sync.process_change(change_id=change.pk) is False  # the signal's task arriving late
    assert sync.sweep() == (0, 0)
    assert entry_of(engineer, seat).sequence == 1
    assert ProcessedChange.objects.filter(change=change).count() == 1


def test_the_sweep_applies_changes_the_signal_missed(rota, team, manager, engineer):
    _period, _shifts, seats = rota
    other = MembershipFactory(team=team).user
    seats[0].holder = other
    seats[0].save(update_fields=["holder"])
    SeatChange.objects.create(
        seat=seats[0], old_holder=engineer, new_holder=other, version=2, reason="edit"
    )

    applied, _users = sync.sweep()

    assert applied == 1
    assert entry_of(engineer, seats[0]).status == "cancelled"
    assert entry_of(other, seats[0]).status == "confirmed"


def test_dtstamp_is_the_time_of_the_change_not_of_processing(rota, team, manager, engineer):
    _period, _shifts, seats = rota
    other = MembershipFactory(team=team).user
    with time_machine.travel(datetime(2030, 1, 1, 12, tzinfo=UTC), tick=False):
        seats[0].holder = other
        seats[0].save(update_fields=["holder"])
        change = SeatChange.objects.create(
            seat=seats[0], old_holder=engineer, new_holder=other, version=2, reason="edit"
        )
    with time_machine.travel(datetime(2030, 1, 1, 15, tzinfo=UTC), tick=False):
        sync.sweep()
    assert entry_of(engineer, seats[0]).changed_at == change.created_at
    assert entry_of(other, seats[0]).changed_at == change.created_at


def test_changes_queue_deliveries_only_on_the_channels_a_person_uses(
    rota, team, manager, engineer, partner, reassign, monkeypatch
):
    _period, _shifts, seats = rota
    monkeypatch.setattr(
        sync, "enqueue_deliveries", lambda users: None
    )  # look at the queue, don't send
    prefs = CalendarPreferences.for_user(partner)
    prefs.email_invites = True
    prefs.save()
    PushTarget.objects.create(
        user=engineer,
        server_url="https://dav.example.com/",
        username="e",
        password="p",
        calendar_url="https://dav.example.com/e/oncall/",
        calendar_name="On call",
    )
    other = MembershipFactory(team=team).user
    # Pretend the engineer's first shift was already pushed, so its removal must be delivered.
    first = entry_of(engineer, seats[0])
    Delivery.objects.create(
        entry=first, channel=Channel.CALDAV, wanted_sequence=0, delivered_sequence=0, pending=False
    )

    reassign(seats[0], other, manager)

    caldav = Delivery.objects.get(entry=first, channel=Channel.CALDAV)
    assert caldav.pending and caldav.wanted_sequence == 1
    partner_entry = entry_of(partner, seats[1])
    email = Delivery.objects.get(entry=partner_entry, channel=Channel.EMAIL)
    assert email.pending and email.wanted_sequence == 1
    # The newcomer chose no channel: nothing is queued for them.
    assert not Delivery.objects.filter(entry__user=other).exists()


def test_a_removal_that_was_never_sent_is_not_sent(
    rota, team, manager, engineer, reassign, monkeypatch
):
    _period, _shifts, seats = rota
    monkeypatch.setattr(sync, "enqueue_deliveries", lambda users: None)
    prefs = CalendarPreferences.for_user(engineer)
    prefs.email_invites = True
    prefs.save()
    other = MembershipFactory(team=team).user
    reassign(seats[0], other, manager)
    assert not Delivery.objects.filter(entry=entry_of(engineer, seats[0]), pending=True).exists()


def test_showing_as_busy_resends_the_persons_future_entries(
    rota, engineer, partner, django_capture_on_commit_callbacks
):
    from calendars import services

    with django_capture_on_commit_callbacks(execute=True):
        services.update_preferences(user=engineer, email_invites=False, show_as_busy=True)
    assert set(CalendarEntry.objects.filter(user=engineer).values_list("sequence", flat=True)) == {
        1
    }
    assert set(CalendarEntry.objects.filter(user=partner).values_list("sequence", flat=True)) == {0}


def test_turning_on_invitations_queues_the_current_shifts(
    rota, engineer, django_capture_on_commit_callbacks, mailoutbox
):
    from calendars import services

    with django_capture_on_commit_callbacks(execute=True):
        services.update_preferences(user=engineer, email_invites=True, show_as_busy=False)
    from calendars.invites import InvitationEmail

    invitations = [m for m in mailoutbox if isinstance(m, InvitationEmail)]
    assert len(invitations) == 3
    assert not Delivery.objects.filter(entry__user=engineer, pending=True).exists()
    assert all(m.to == [engineer.contact_email] and m.method == "REQUEST" for m in invitations)


def test_backoff_doubles_up_to_an_hour():
    from calendars.push import backoff

    assert [backoff(n) for n in (1, 2, 3, 4, 7, 20)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
        timedelta(minutes=60),
        timedelta(minutes=60),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_change_apply_it_once(
    postgres, team, manager, engineer, partner
):
    """Two threads (two database connections) process the same SeatChange at the same moment."""
    import threading

    from django.db import connections

    from tests.calendars.factories import SeatFactory, ShiftFactory

    shift = ShiftFactory(period__team=team, team=team)
    seat = SeatFactory(shift=shift, holder=engineer)
    SeatFactory(shift=shift, role="secondary", holder=partner)
    change = SeatChange.objects.create(
        seat=seat, old_holder=None, new_holder=engineer, version=1, reason="publish"
    )
    barrier = threading.Barrier(2)
    results = []

    def work() -> None:
        try:
            barrier.wait()
            results.append(sync.process_change(change_id=change.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]
    assert ProcessedChange.objects.filter(change=change).count() == 1
    assert list(CalendarEntry.objects.order_by("user_id").values_list("sequence", flat=True)) == [
        0,
        0,
    ]


def test_the_refresh_picks_up_a_partners_new_phone_and_new_escalation_contacts(
    rota, team, engineer, partner
):
    from tests.factories import EscalationContactFactory

    _period, _shifts, seats = rota
    partner.oncall_phone = "+447700900999"
    partner.save()
    EscalationContactFactory(team=team, name="New Boss")

    changed = sync.refresh_upcoming()

    assert changed == {engineer.pk, partner.pk}
    # The engineer's entries name the partner's phone; everyone's list the new contact.
    assert set(CalendarEntry.objects.filter(user=engineer).values_list("sequence", flat=True)) == {
        1
    }
    assert set(CalendarEntry.objects.filter(user=partner).values_list("sequence", flat=True)) == {1}
    assert sync.refresh_upcoming() == set()
