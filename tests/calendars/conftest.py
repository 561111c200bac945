"""Fixtures for calendar tests: a published rota built through the real publishing service."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from django.db import transaction

from calendars.models import CalendarEntry
from scheduling.rotas.models import Seat
from scheduling.rotas.services.publishing import apply_published_edit, publish
from tests.calendars.factories import PeriodFactory, SeatFactory, ShiftFactory
from tests.factories import MembershipFactory


def daily_shifts(team, period, first: date, days: int, handoff: time = time(9)) -> list:
    """Create daily shifts from handoff to handoff in the team's zone (DST days: 23 or 25 h)."""
    zone = zoneinfo.ZoneInfo(team.timezone)
    shifts = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        start = datetime.combine(day, handoff, tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), handoff, tzinfo=zone)
        shifts.append(ShiftFactory(period=period, team=team, starts_at=start, ends_at=end))
    return shifts


@pytest.fixture
def partner(team):
    return MembershipFactory(team=team, role="engineer", user__display_name="Pat Partner").user


@pytest.fixture
def publish_rota(django_capture_on_commit_callbacks) -> Callable:
    """Return publish(period, by): the real publish and the calendar work after its commit."""

    def run(period, by):
        with django_capture_on_commit_callbacks(execute=True):
            return publish(period=period, by=by, confirm_unfilled=True)

    return run


@pytest.fixture
def reassign(django_capture_on_commit_callbacks) -> Callable:
    """Return reassign(seat, user, by): edit a published seat as the rota page does."""

    def run(seat: Seat, user, by):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            seat = Seat.objects.select_related("shift__period").get(pk=seat.pk)
            seat.proposed_holder = user
            seat.save(update_fields=["proposed_holder"])
            return apply_published_edit(period=seat.shift.period, seat=seat, by=by)

    return run


@pytest.fixture
def rota(team, manager, engineer, partner, publish_rota):
    """A published rota of three daily shifts: engineer primary, partner secondary."""
    period = PeriodFactory(team=team)
    first = datetime.now(zoneinfo.ZoneInfo(team.timezone)).date() + timedelta(days=1)
    shifts = daily_shifts(team, period, first, 3)
    seats = []
    for shift in shifts:
        seats.append(SeatFactory(shift=shift, role="primary", proposed_holder=engineer))
        seats.append(SeatFactory(shift=shift, role="secondary", proposed_holder=partner))
    publish_rota(period, manager)
    return period, shifts, seats


def entry_of(user, seat) -> CalendarEntry:
    return CalendarEntry.objects.get(user=user, seat=seat)
