"""A published March 2027 for the persona team, with pay rules that change on 15 March."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from scheduling.pay import services
from scheduling.rotas.models import RotaSettings
from scheduling.rotas.services.changes import split_seat_for_cover
from tests.factories import MembershipFactory
from tests.oncall.factories import PeriodFactory, make_shift, utc


@pytest.fixture
def alice(team):
    return MembershipFactory(team=team, user__display_name="Alice Able").user


@pytest.fixture
def bob(team):
    return MembershipFactory(team=team, user__display_name="Bob Baker").user


@pytest.fixture
def march(team, manager, alice, bob):
    """Shifts across Good Friday, the change to BST on 28 March and the new rate of 15 March."""
    RotaSettings.objects.create(team=team, holiday_country="GB")
    secondary = ("shift", Decimal("50"))
    services.save_policy(
        team=team,
        by=manager,
        effective_from=dt.date(2027, 3, 1),
        currency="GBP",
        rates={"primary": ("hour", Decimal("10")), "secondary": secondary},
        weekend_multiplier=Decimal("1.5"),
        holiday_multiplier=Decimal("2"),
        night_multiplier=Decimal("1.25"),
        night_starts=dt.time(22),
        night_ends=dt.time(7),
        monthly_cap=None,
    )
    services.save_policy(
        team=team,
        by=manager,
        effective_from=dt.date(2027, 3, 15),
        currency="GBP",
        rates={"primary": ("hour", Decimal("12")), "secondary": secondary},
        weekend_multiplier=Decimal("1.5"),
        holiday_multiplier=Decimal("2"),
        night_multiplier=Decimal("1.25"),
        night_starts=dt.time(22),
        night_ends=dt.time(7),
        monthly_cap=None,
    )
    period = PeriodFactory(team=team, starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2027, 3, 31))
    shifts = {
        "tuesday": make_shift(period, utc(2027, 3, 2, 9), utc(2027, 3, 3, 9), secondary=alice),
        "sunday": make_shift(period, utc(2027, 3, 14, 9), utc(2027, 3, 15, 9), primary=bob),
        "good_friday": make_shift(period, utc(2027, 3, 26, 9), utc(2027, 3, 27, 9), primary=alice),
        # Saturday 09:00 GMT to Sunday 09:00 BST: 23 real hours.
        "clocks": make_shift(period, utc(2027, 3, 27, 9), utc(2027, 3, 28, 8), primary=alice),
    }
    return period, shifts


@pytest.fixture
def covered(march, manager, bob):
    """Bob covers 13:00–17:00 of Alice's per-shift Tuesday secondary."""
    _, shifts = march
    seat = shifts["tuesday"].seats.get(role="secondary")
    split_seat_for_cover(
        seat=seat,
        starts_at=utc(2027, 3, 2, 13),
        ends_at=utc(2027, 3, 2, 17),
        new_holder=bob,
        by=manager,
    )
    return march
