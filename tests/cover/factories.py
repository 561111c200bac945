"""factory_boy factories for the cover app."""

from __future__ import annotations

import factory

from scheduling.cover.models import CoverSettings
from tests.factories import TeamFactory


class CoverSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoverSettings
        django_get_or_create = ("team",)

    team = factory.SubFactory(TeamFactory)
    mode = "ranked"
    wait_hours = 4
    broadcast_k = 3
