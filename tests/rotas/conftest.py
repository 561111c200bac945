"""Rota fixtures: a daily template and a period across the March 2027 change to BST."""

from __future__ import annotations

from datetime import date

import pytest

from scheduling.rotas import services
from scheduling.rotas.models import RotaSettings
from tests.factories import MembershipFactory
from tests.rotas.factories import RotationTemplateFactory

# Clocks in London go forward on Sunday 28 March 2027: the Saturday shift is 23 hours long.
FIRST = date(2027, 3, 24)
LAST = date(2027, 3, 30)


@pytest.fixture
def template(team):
    return RotationTemplateFactory(team=team, name="Daily 09:00")


@pytest.fixture
def crew(team, manager, engineer):
    """The team's people: the manager, the engineer and three more engineers."""
    extra = [MembershipFactory(team=team, user__display_name=f"Crew {n}").user for n in range(3)]
    return [manager, engineer, *extra]


@pytest.fixture
def rota_settings(team):
    # Most tests are about mechanics, not the experience rule; the tests of that rule turn it on.
    settings = RotaSettings.for_team(team)
    settings.require_experienced = False
    settings.save()
    return settings


@pytest.fixture
def period(team, template, manager, crew, rota_settings):
    period = services.create_period(
        team=team, template=template, starts_on=FIRST, ends_on=LAST, by=manager
    )
    return services.open_collecting(period=period, by=manager)
