"""The load benchmark's data builder: scaled demo teams whose pages answer as in production."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from accounts.models import Team, User
from bench import scale
from scheduling.rotas.models import PeriodState, RotaPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(settings, django_capture_on_commit_callbacks):
    """Two teams of six, built in March 2026 so this month holds the clock change (29 March)."""
    settings.ROTA_SOLVE_SECONDS = 1
    with time_machine.travel("2026-03-10 12:00Z", tick=True):
        # Recommend runs its task on commit, which a test transaction never reaches.
        with django_capture_on_commit_callbacks(execute=True):
            scale.build(teams=2, people=6, log=lambda line: None)
        yield scale.targets(clients=4)


def test_build_clones_the_demo_structure_and_its_targets_reach_every_driven_page(built):
    # One build for both: a build is several seconds.
    teams = list(Team.objects.filter(slug__startswith=scale.PREFIX).order_by("slug"))
    assert [t.slug for t in teams] == ["load-01", "load-02"]
    assert User.objects.filter(memberships__team__in=teams).count() == 12
    for team in teams:
        periods = RotaPeriod.objects.filter(team=team).order_by("starts_on")
        states = list(periods.values_list("state", flat=True))
        assert states == [PeriodState.PUBLISHED] * 7 + [PeriodState.RECOMMENDED]
        assert team.escalation_contacts.exists()
        assert team.requirements.exists()
    assert len(built.engineer_sessions) == 4 and len(built.api_calls) == 2

    with time_machine.travel("2026-03-10 12:00Z", tick=True):
        session, path = built.manager_periods[0]
        client = Client()
        client.cookies["sessionid"] = session
        page = client.get(path)
        assert page.status_code == 200
        # Each grid cell's title carries the day, formatted once per day (Wed 1 Apr 2026).
        assert b", Wed 1 Apr: " in page.content

        client.cookies["sessionid"] = built.engineer_sessions[0]
        assert client.get("/").status_code == 200

        feed = Client().get(built.feed_paths[0])
        assert feed.status_code == 200 and b"BEGIN:VEVENT" in feed.content

        token, api_path = built.api_calls[0]
        answer = Client().get(api_path, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert answer.status_code == 200 and answer.json()["oncall"]["primary"]
