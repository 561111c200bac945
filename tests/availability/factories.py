"""factory_boy factories for availability."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import factory

from scheduling.availability.models import (
    AvailabilityEntry,
    BusyBlock,
    CalendarConnection,
    ConnectionKind,
    Kind,
)
from tests.factories import UserFactory


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilityEntry

    user = factory.SubFactory(UserFactory)
    day = factory.LazyFunction(lambda: date.today() + timedelta(days=1))
    kind = Kind.AVAILABLE


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarConnection

    user = factory.SubFactory(UserFactory)
    kind = ConnectionKind.ICS
    name = factory.Sequence(lambda n: f"Calendar {n}")
    ics_url = "https://calendar.example.com/secret/basic.ics"
    display_host = "https://calendar.example.com"


class BusyBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusyBlock

    connection = factory.SubFactory(ConnectionFactory)
    user = factory.SelfAttribute("connection.user")
    start = factory.LazyFunction(lambda: datetime.now(UTC) + timedelta(days=2))
    end = factory.LazyAttribute(lambda block: block.start + timedelta(hours=1))
    summary = "Dentist"
    event_key = factory.Sequence(lambda n: f"event-{n}")
