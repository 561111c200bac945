"""The period calendar shows the rotation's health; "most time on call" reaches the engine."""

from __future__ import annotations

from scheduling.engine import solve
from scheduling.rotas import problem


def test_period_calendar_shows_the_health_of_the_draft(team, period, manager_client):
    response = manager_client.get(f"/teams/{team.slug}/rota/{period.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Health of the rotation" in body
    assert "5 people: a rotation needs at least 8" in body


def test_most_time_on_call_becomes_the_engines_rule(period, rota_settings):
    rota_settings.max_oncall_percent = 25
    rota_settings.save()
    built = problem.build(period)
    assert built.data["rules"]["max_oncall_share"] == 0.25
    solution = solve(built.problem, time_limit=5, candidates=False)
    # A week has 7 × 24 real hours less one (the March change); 25% of it is 41.75 h: one seat.
    held: dict[str, int] = {}
    for person in solution.assignments.values():
        if person:
            held[person] = held.get(person, 0) + 1
    assert held and max(held.values()) == 1
