"""factory_boy factories for the rota app."""

from __future__ import annotations

from datetime import time

import factory

from scheduling.rotas.models import RotationTemplate, ShiftPattern
from tests.factories import TeamFactory


class RotationTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RotationTemplate

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Template {n}")
    kind = "daily"
    handoff_time = time(9)
    roles = factory.LazyFunction(lambda: ["primary", "secondary"])


class ShiftPatternFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftPattern

    template = factory.SubFactory(RotationTemplateFactory)
    label = "London"
    timezone = "Europe/London"
    start_time = time(8)
    end_time = time(16)
