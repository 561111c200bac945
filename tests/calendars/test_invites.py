"""Email invitations via a real SMTP server: REQUEST, update (SEQUENCE+1), CANCEL, one UID."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

import icalendar
import pytest

from calendars.models import CalendarPreferences
from tests.calendars.conftest import daily_shifts
from tests.calendars.factories import PeriodFactory, SeatFactory
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def calendar_part(message):
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0]


def test_request_update_and_cancel_reach_the_inbox(
    smtp_sink, team, manager, engineer, partner, publish_rota, reassign
):
    sink, _port = smtp_sink
    CalendarPreferences.objects.create(user=engineer, email_invites=True)
    period = PeriodFactory(team=team)
    first = datetime.now(zoneinfo.ZoneInfo(team.timezone)).date() + timedelta(days=2)
    shift = daily_shifts(team, period, first, 1)[0]
    mine = SeatFactory(shift=shift, role="primary", proposed_holder=engineer)
    theirs = SeatFactory(shift=shift, role="secondary", proposed_holder=partner)

    publish_rota(period, manager)  # REQUEST, SEQUENCE 0
    reassign(
        theirs, MembershipFactory(team=team, user__display_name="Nia Newcomer").user, manager
    )  # new partner
    reassign(
        mine, MembershipFactory(team=team).user, manager
    )  # the shift is no longer mine: CANCEL

    invitations = [
        m for m in sink.messages if m["To"] == engineer.contact_email and "text/calendar" in str(m)
    ]
    parsed = []
    for message in invitations:
        part = calendar_part(message)
        cal = icalendar.Calendar.from_ical(part.get_content())
        event = cal.walk("VEVENT")[0]
        parsed.append(
            (
                part.get_param("method"),
                str(cal["method"]),
                int(event["sequence"]),
                str(event["uid"]),
            )
        )
        assert str(event["organizer"]) == "mailto:rota@localhost"
        assert str(event["attendee"]) == f"mailto:{engineer.contact_email}"
    uid = f"seat-{mine.pk}-user-{engineer.pk}@127.0.0.1"
    assert parsed == [
        ("REQUEST", "REQUEST", 0, uid),
        ("REQUEST", "REQUEST", 1, uid),
        ("CANCEL", "CANCEL", 2, uid),
    ]
    assert "Nia Newcomer" in calendar_part(invitations[1]).get_content().replace("\r\n ", "")
    assert (
        str(invitations[2]["Subject"])
        .strip()
        .startswith("[Rota] Cancelled: On call: Payments — Primary")
    )
    assert invitations[0].get_content_type() == "multipart/alternative"


def test_the_text_part_is_not_html_escaped(
    rota, engineer, django_capture_on_commit_callbacks, mailoutbox
):
    from calendars import services
    from calendars.invites import InvitationEmail

    with django_capture_on_commit_callbacks(execute=True):
        services.update_preferences(user=engineer, email_invites=True, show_as_busy=False)
    body = next(m for m in mailoutbox if isinstance(m, InvitationEmail)).body
    assert "Can't make it? http" in body
    assert "&#x27;" not in body


def test_an_invitation_claimed_by_a_worker_that_died_is_sent_after_the_claim_expires(
    team, manager, engineer, partner, publish_rota, monkeypatch, settings
):
    from django.core import mail
    from django.utils import timezone

    from calendars import invites
    from calendars.models import Channel, Delivery

    CalendarPreferences.objects.create(user=engineer, email_invites=True)
    period = PeriodFactory(team=team)
    first = datetime.now(zoneinfo.ZoneInfo(team.timezone)).date() + timedelta(days=2)
    shift = daily_shifts(team, period, first, 1)[0]
    SeatFactory(shift=shift, role="primary", proposed_holder=engineer)

    def die(self, *args, **kwargs):
        raise KeyboardInterrupt("the worker is killed between claim and send")

    with monkeypatch.context() as patch:
        patch.setattr(invites.InvitationEmail, "send", die)
        with pytest.raises(KeyboardInterrupt):
            publish_rota(period, manager)
    delivery = Delivery.objects.get(channel=Channel.EMAIL, entry__user=engineer)
    assert delivery.pending and delivery.delivered_sequence is None  # not "sent"
    assert invites.send_pending(user=engineer) == 0  # claimed: nobody sends it meanwhile
    later = timezone.now() + timedelta(seconds=settings.PUSH_CLAIM_SECONDS + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert invites.send_pending(user=engineer) == 1
    delivery.refresh_from_db()
    itip = [m for m in mail.outbox if isinstance(m, invites.InvitationEmail)]
    assert not delivery.pending and len(itip) == 1
