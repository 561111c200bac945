"""factory_boy factories for on-call tests: published periods, shifts, seats, notes, tokens."""

from __future__ import annotations

import datetime as dt

import factory

from scheduling.oncall.models import HandoverNote
from scheduling.rotas.models import PeriodState, RotaPeriod, Seat, Shift
from tests.factories import TeamFactory, UserFactory

UTC = dt.UTC


class PeriodFactory(factory.django.DjangoModelFactory):
    """A published period (version 1)."""

    class Meta:
        model = RotaPeriod

    team = factory.SubFactory(TeamFactory)
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2026, 12, 31)
    state = PeriodState.PUBLISHED
    version = 1


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    period = factory.SubFactory(PeriodFactory)
    team = factory.LazyAttribute(lambda o: o.period.team)
    starts_at = dt.datetime(2026, 6, 1, 8, tzinfo=UTC)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(days=1))
    weight = 1.0


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    shift = factory.SubFactory(ShiftFactory)
    role = "primary"
    holder = factory.SubFactory(UserFactory)


class HandoverNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandoverNote

    shift = factory.SubFactory(ShiftFactory)
    author = factory.SubFactory(UserFactory)
    body = "Disk on db-2 is at 85%; watch it."


def make_shift(
    period: RotaPeriod,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    label: str = "",
    weight: float = 1.0,
    **holders,
) -> Shift:
    """Create a shift of the period with one seat per role given (role=user or None)."""
    shift = ShiftFactory(
        period=period, starts_at=starts_at, ends_at=ends_at, label=label, weight=weight
    )
    for role, holder in holders.items():
        SeatFactory(shift=shift, role=role, holder=holder, proposed_holder=holder)
    return shift


def utc(*args: int) -> dt.datetime:
    """Return a UTC datetime."""
    return dt.datetime(*args, tzinfo=UTC)
