"""Fixtures for on-call tests: a published period of the persona team and two partners."""

from __future__ import annotations

import pytest

from scheduling.oncall import services
from tests.factories import MembershipFactory
from tests.oncall.factories import PeriodFactory


@pytest.fixture
def period(team):
    return PeriodFactory(team=team)


@pytest.fixture
def partner(team):
    return MembershipFactory(
        team=team,
        role="engineer",
        user__display_name="Pat Partner",
        user__oncall_phone="+447700900555",
    ).user


@pytest.fixture
def token(team, manager) -> str:
    """A raw API token of the persona team."""
    return services.create_api_token(team=team, name="Alertmanager", by=manager)[1]
