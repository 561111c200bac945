"""factory_boy factories for calendars: periods, shifts and seats to put in calendars."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import factory

from scheduling.rotas.models import PeriodState, RotaPeriod, Seat, Shift
from tests.factories import TeamFactory


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RotaPeriod

    team = factory.SubFactory(TeamFactory)
    starts_on = factory.LazyFunction(lambda: datetime.now(UTC).date())
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=27))
    state = PeriodState.COLLECTING


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    period = factory.SubFactory(PeriodFactory)
    team = factory.SelfAttribute("period.team")
    starts_at = factory.LazyFunction(
        lambda: datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(days=1))


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    shift = factory.SubFactory(ShiftFactory)
    role = "primary"
