"""Cover fixtures: a published week across the March 2027 change to BST, and its people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine

from accounts.models import User
from scheduling.rotas import services as rota
from scheduling.rotas.models import RotaPeriod, RotaSettings, Seat, Shift
from tests.factories import MembershipFactory
from tests.rotas.factories import RotationTemplateFactory

# Clocks in London go forward on Sunday 28 March 2027: the Saturday 09:00 shift is 23 hours long.
FIRST = date(2027, 3, 24)
LAST = date(2027, 3, 30)
NOW = datetime(2027, 3, 20, 10, 0, tzinfo=UTC)


@dataclass
class Week:
    period: RotaPeriod
    shift: Shift  # Saturday 27 March 09:00 GMT → Sunday 28 March 09:00 BST
    seat: Seat  # its primary, held by the requester
    partner_seat: Seat
    requester: User
    partner: User
    alice: User
    bob: User
    carol: User
    fred: User  # holds Friday: too little rest to cover Saturday
    manager: User

    def seat_of(self, day: int, role: str) -> Seat:
        return Seat.objects.select_related("shift").get(
            shift__period=self.period, shift__starts_at__day=day, role=role
        )


@pytest.fixture
def clock():
    """Freeze time a week before the shift (ticking, so waits and orders stay real)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _member(team, name: str) -> User:
    return MembershipFactory(team=team, user__display_name=name).user


@pytest.fixture
def week(clock, team, manager, engineer) -> Week:
    """The week, seen from a frozen clock on 20 March 2027."""
    return make_week(team, manager, engineer)


@pytest.fixture
def live_week(team, manager, engineer) -> Week:
    """The week on the real clock, for tests where a worker process or a browser shares the time."""
    return make_week(team, manager, engineer)


def make_week(team, manager, engineer) -> Week:
    """Publish 24–30 March: Eddie holds Saturday primary, Pat its secondary; Fred Fri, Carol Tue."""
    settings = RotaSettings.for_team(team)
    settings.require_experienced = False
    settings.save()
    partner = _member(team, "Pat Partner")
    alice, bob, carol, fred = (
        _member(team, n) for n in ("Alice Able", "Bob Baker", "Carol Cole", "Fred Friday")
    )
    template = RotationTemplateFactory(team=team, name="Daily 09:00")
    period = rota.create_period(
        team=team, template=template, starts_on=FIRST, ends_on=LAST, by=manager
    )
    period = rota.open_collecting(period=period, by=manager)

    def seat(day: int, role: str) -> Seat:
        return Seat.objects.select_related("shift").get(
            shift__period=period, shift__starts_at__day=day, role=role
        )

    plan = {
        (27, "primary"): engineer,
        (27, "secondary"): partner,
        (26, "primary"): fred,
        (30, "primary"): carol,
    }
    for (day, role), user in plan.items():
        Seat.objects.filter(pk=seat(day, role).pk).update(proposed_holder=user)
    rota.publish(period=period, by=manager, confirm_unfilled=True)
    period.refresh_from_db()
    target = seat(27, "primary")
    return Week(
        period=period,
        shift=target.shift,
        seat=target,
        partner_seat=seat(27, "secondary"),
        requester=engineer,
        partner=partner,
        alice=alice,
        bob=bob,
        carol=carol,
        fred=fred,
        manager=manager,
    )
