"""Reminder beat tasks: each reminder goes out exactly once, opt-outs are honoured."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage

from rota import outbox
from rota.models import OutboundEmail
from scheduling.oncall import reminders, tasks
from scheduling.oncall.models import ReminderPreferences, ReminderSent
from tests.oncall.factories import HandoverNoteFactory, PeriodFactory, make_shift, utc

NOW = utc(2026, 6, 1, 12)


pytestmark = pytest.mark.usefixtures("outbox_sends_at_once")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def subjects() -> list[tuple[str, str]]:
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def test_shift_reminders_24h_and_1h_each_sent_once_even_when_run_twice(
    frozen, period, engineer, partner
):
    tomorrow = make_shift(
        period, utc(2026, 6, 2, 8), utc(2026, 6, 3, 8), primary=engineer, secondary=partner
    )
    assert tasks.send_shift_reminders() == 2
    assert tasks.send_shift_reminders() == 0
    assert len(mail.outbox) == 2
    assert all("starts in 24 hours" in m.subject for m in mail.outbox)
    body = next(m.body for m in mail.outbox if m.to == [engineer.contact_email])
    assert "Pat Partner (secondary), +447700900555" in body
    assert "Tuesday 2 June 2026, 09:00" in body  # in Eddie's zone (BST), not UTC

    with time_machine.travel(utc(2026, 6, 2, 7, 15), tick=False):
        assert reminders.send_shift_reminders() == 2
        assert reminders.send_shift_reminders() == 0
    assert sorted(m.subject for m in mail.outbox[2:]) == [
        f"[Rota] Your {role} shift for Payments starts in 1 hour"
        for role in ("primary", "secondary")
    ]
    assert ReminderSent.objects.filter(key__startswith="seat:").count() == 4
    assert tomorrow.seats.count() == 2


def test_start_reminder_carries_the_handover_note_of_the_outgoing_shift(
    frozen, period, engineer, partner
):
    before = make_shift(period, utc(2026, 6, 1, 8), utc(2026, 6, 2, 8), primary=partner)
    make_shift(period, utc(2026, 6, 2, 8), utc(2026, 6, 3, 8), primary=engineer)
    HandoverNoteFactory(shift=before, author=partner, body="The refunds queue is backing up.")
    reminders.send_shift_reminders()
    assert "The refunds queue is backing up." in mail.outbox[0].body
    assert "Pat Partner wrote" in mail.outbox[0].body


def test_shift_reminder_opt_out(frozen, period, engineer, partner):
    ReminderPreferences.objects.create(user=engineer, shift_start=False)
    make_shift(period, utc(2026, 6, 2, 8), utc(2026, 6, 3, 8), primary=engineer, secondary=partner)
    assert reminders.send_shift_reminders() == 1
    assert [m.to for m in mail.outbox] == [[partner.contact_email]]


def test_draft_seats_get_no_reminder(frozen, team, engineer):
    draft = PeriodFactory(team=team, state="recommended", version=0)
    make_shift(draft, utc(2026, 6, 2, 8), utc(2026, 6, 3, 8), primary=engineer)
    assert reminders.send_shift_reminders() == 0


def test_failed_send_waits_in_the_outbox_and_the_sweep_sends_it_once(
    frozen, period, engineer, monkeypatch
):
    make_shift(period, utc(2026, 6, 2, 8), utc(2026, 6, 3, 8), primary=engineer)

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", broken)
        assert reminders.send_shift_reminders() == 1
    assert ReminderSent.objects.count() == 1
    row = OutboundEmail.objects.get()
    assert row.status == OutboundEmail.Status.PENDING and "SMTP down" in row.last_error
    assert reminders.send_shift_reminders() == 0  # claimed: the job does not write it again
    frozen.shift(timedelta(minutes=2))  # the back-off ends; the minute sweep sends it
    outbox.sweep()
    outbox.sweep()
    assert len(mail.outbox) == 1


def test_unfilled_warning_goes_to_managers_once_per_set_of_empty_seats(
    frozen, period, manager, engineer
):
    make_shift(period, utc(2026, 6, 3, 8), utc(2026, 6, 4, 8), primary=engineer, secondary=None)
    make_shift(period, utc(2026, 6, 20, 8), utc(2026, 6, 21, 8), primary=None)  # beyond 7 days
    assert tasks.send_unfilled_warnings() == 1
    assert tasks.send_unfilled_warnings() == 0
    assert [m.to for m in mail.outbox] == [[manager.contact_email]]
    assert "1 unfilled seat in Payments's rota within 7 days" in mail.outbox[0].subject
    assert "Wed 3 Jun 09:00: secondary" in mail.outbox[0].body
    # A seat that empties later is news: one more warning, and again only once.
    make_shift(period, utc(2026, 6, 5, 8), utc(2026, 6, 6, 8), primary=None)
    assert reminders.send_unfilled_warnings() == 1
    assert reminders.send_unfilled_warnings() == 0


def test_unfilled_warning_opt_out(frozen, period, manager):
    ReminderPreferences.objects.create(user=manager, unfilled=False)
    make_shift(period, utc(2026, 6, 3, 8), utc(2026, 6, 4, 8), primary=None)
    assert reminders.send_unfilled_warnings() == 0


def test_handover_missing_reminds_the_outgoing_holders_once(period, engineer, partner, manager):
    outgoing = make_shift(
        period, utc(2026, 6, 1, 8), utc(2026, 6, 2, 8), primary=engineer, secondary=manager
    )
    make_shift(period, utc(2026, 6, 2, 8), utc(2026, 6, 3, 8), primary=partner, secondary=manager)
    with time_machine.travel(utc(2026, 6, 2, 6, 30), tick=False):
        assert reminders.send_handover_missing() == 0  # 90 minutes before: too early
    with time_machine.travel(utc(2026, 6, 2, 7, 15), tick=False):
        assert tasks.send_handover_missing() == 1
        assert tasks.send_handover_missing() == 0
    # The manager stays on call across the handoff, so only Eddie is asked for a note.
    assert [m.to for m in mail.outbox] == [[engineer.contact_email]]
    assert f"/shifts/{outgoing.pk}/handover/" in mail.outbox[0].body


def test_no_handover_reminder_when_a_note_exists_or_opted_out(period, engineer, partner):
    outgoing = make_shift(period, utc(2026, 6, 1, 8), utc(2026, 6, 2, 8), primary=engineer)
    make_shift(period, utc(2026, 6, 2, 8), utc(2026, 6, 3, 8), primary=partner)
    HandoverNoteFactory(shift=outgoing, author=engineer)
    with time_machine.travel(utc(2026, 6, 2, 7, 15), tick=False):
        assert reminders.send_handover_missing() == 0
    outgoing.handover_notes.all().delete()
    ReminderPreferences.objects.create(user=engineer, handover_missing=False)
    with time_machine.travel(utc(2026, 6, 2, 7, 15), tick=False):
        assert reminders.send_handover_missing() == 0


def test_handover_reminder_across_the_autumn_dst_change(period, engineer, partner):
    # Sat 24 Oct 09:00 BST (08:00 UTC) → Sun 25 Oct 09:00 GMT (09:00 UTC): 25 hours.
    make_shift(period, utc(2026, 10, 24, 8), utc(2026, 10, 25, 9), primary=engineer)
    make_shift(period, utc(2026, 10, 25, 9), utc(2026, 10, 26, 9), primary=partner)
    with time_machine.travel(utc(2026, 10, 25, 7, 45), tick=False):
        assert (
            reminders.send_handover_missing() == 0
        )  # 08:45 GMT would be wrong: the handoff is 09:00 GMT
    with time_machine.travel(utc(2026, 10, 25, 8, 15), tick=False):
        assert reminders.send_handover_missing() == 1
    assert "hands over at 09:00" in mail.outbox[0].body


def test_beat_schedule_runs_the_three_tasks_every_15_minutes(settings):
    from datetime import timedelta

    scheduled = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    for name in ("send_shift_reminders", "send_unfilled_warnings", "send_handover_missing"):
        assert scheduled[f"scheduling.oncall.tasks.{name}"] == timedelta(minutes=15)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_reminder_once(postgres, team, engineer, partner):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    period = PeriodFactory(team=team)
    make_shift(period, utc(2026, 6, 2, 8), utc(2026, 6, 3, 8), primary=engineer, secondary=partner)

    def run() -> int:
        try:
            return reminders.send_shift_reminders(now=NOW)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        sent = sorted(pool.map(lambda _: run(), range(2)))
    assert sum(sent) == 2
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2
