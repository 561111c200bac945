"""Every demo person's feed shows their demo shifts, and seeding sends no invitations."""

from __future__ import annotations

import io

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import demo
from accounts.models import Membership
from calendars.feeds import FUTURE, PAST
from calendars.invites import InvitationEmail
from calendars.models import CalendarPreferences, Delivery
from scheduling.rotas.models import Seat, SeatChange

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_every_demo_persons_feed_shows_their_demo_shifts(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    now = timezone.now()
    people = {
        m.user
        for m in Membership.objects.filter(team__slug__in=["payments", "platform"]).select_related(
            "user"
        )
    }
    # Every demo login is one of them (the people seed_demo prints).
    assert {p.email for p in people} == {email for email, _team, _role in demo.logins()}
    with_shifts = 0
    for person in people:
        token = CalendarPreferences.objects.get(user=person).feed_token
        response = client.get(reverse("calendars:feed", args=[token]))
        cal = icalendar.Calendar.from_ical(response.content)
        shown = {
            str(e["uid"]).split("@")[0]
            for e in cal.walk("VEVENT")
            if str(e["status"]) == "CONFIRMED"
        }
        held = {
            f"seat-{pk}-user-{person.pk}"
            for pk in Seat.objects.filter(
                holder=person, shift__ends_at__gt=now - PAST, shift__starts_at__lt=now + FUTURE
            ).values_list("pk", flat=True)
        }
        assert shown == held, person
        with_shifts += bool(held)
    assert with_shifts >= 12
    assert not SeatChange.objects.filter(calendar_processed__isnull=True).exists()
    assert not Delivery.objects.exists()
    assert not [m for m in mail.outbox if isinstance(m, InvitationEmail)]
