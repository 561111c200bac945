"""Eligible roles over a range of days, as the period calendar and the engine ask for them."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduling.requirements import services
from scheduling.requirements.models import Kind
from scheduling.requirements.state import Standing
from tests.factories import MembershipFactory
from tests.requirements.factories import CompletionFactory, RequirementFactory

D = dt.date
# March 2026 in Europe/London: the clocks go forward on Sunday 29 March.
DAYS = [D(2026, 3, 1) + dt.timedelta(days=n) for n in range(45)]


@pytest.fixture
def standings(team, engineer):
    """A runbook met 1–29 March (it expires on the clock-change day) and evidence from 20 March."""
    runbook = RequirementFactory(team=team, validity_days=28, applies_to="both")
    certificate = RequirementFactory(team=team, kind=Kind.EVIDENCE, applies_to="primary")
    CompletionFactory(requirement=runbook, user=engineer, valid_from=D(2026, 3, 1))
    CompletionFactory(requirement=certificate, user=engineer, valid_from=D(2026, 3, 20))
    return MembershipFactory(team=team, role="engineer").user  # a colleague with nothing met


def test_roles_by_day_match_the_roles_of_each_day(team, engineer, standings):
    by_day = services.eligible_roles_for_team(team=team, dates=DAYS)
    for person in (engineer, standings):
        for day in DAYS:
            expected = services.eligible_roles(user=person, team=team, on=day)
            assert by_day[person.pk][day] == expected, (person, day)
    mine = by_day[engineer.pk]
    assert mine[D(2026, 3, 19)] == frozenset({"shadow", "secondary"})
    assert mine[D(2026, 3, 20)] == frozenset({"shadow", "secondary", "primary"})
    assert mine[D(2026, 3, 28)] == frozenset({"shadow", "secondary", "primary"})
    assert mine[D(2026, 3, 29)] == frozenset({"shadow"})


def test_roles_are_computed_once_per_stretch_not_per_day(team, engineer, standings, monkeypatch):
    calls = []
    original = Standing.roles

    def counted(self, user_id, on=None):
        calls.append((user_id, on))
        return original(self, user_id, on)

    monkeypatch.setattr(Standing, "roles", counted)
    services.eligible_roles_for_team(team=team, dates=DAYS)
    # The engineer: from 1 March, from 20 March, from 29 March; the colleague: once.
    assert sorted(on for user_id, on in calls if user_id == engineer.pk) == [
        D(2026, 3, 1),
        D(2026, 3, 20),
        D(2026, 3, 29),
    ]
    assert [on for user_id, on in calls if user_id == standings.pk] == [D(2026, 3, 1)]
