"""Eligibility tells the truth over time: "Met until", the reminder before, the manager's nudge."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail

from accounts.models import AuditEntry
from scheduling.requirements.models import Kind
from scheduling.requirements.state import State, cell_for
from scheduling.rotas import services
from tests.requirements.factories import CompletionFactory, RequirementFactory
from tests.rotas.factories import RotationTemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _early_december():
    with time_machine.travel(date(2026, 12, 1)):
        yield


@pytest.fixture
def lapsing(team, engineer):
    """Cloud admin for 90 days, counting until 4 Jan (valid_until is the first day it stops)."""
    requirement = RequirementFactory(
        team=team, title="Cloud admin role", kind=Kind.APPROVAL, applies_to="primary"
    )
    CompletionFactory(
        requirement=requirement,
        user=engineer,
        valid_from=date(2026, 10, 7),
        valid_until=date(2027, 1, 5),
    )
    return requirement


def test_met_today_but_lapsing_next_month_says_until_when(lapsing, engineer):
    completions = list(lapsing.completions.all())
    cell = cell_for(
        requirement=lapsing, completions=completions, on=date(2026, 12, 1), automatic=None
    )
    assert cell.state == State.MET
    assert (cell.label, cell.badge) == ("Met until 4 Jan", "warn")
    later = cell_for(
        requirement=lapsing, completions=completions, on=date(2027, 1, 5), automatic=None
    )
    assert later.state == State.EXPIRED
    # Valid to well after next month: plain "Met".
    lapsing.completions.update(valid_until=date(2027, 3, 1))
    far = cell_for(
        requirement=lapsing,
        completions=list(lapsing.completions.all()),
        on=date(2026, 12, 1),
        automatic=None,
    )
    assert far.label == "Met"


def test_the_matrix_and_the_dashboard_say_met_until(lapsing, team, manager_client, engineer_client):
    matrix = manager_client.get(f"/teams/{team.slug}/requirements/").content.decode()
    assert "Met until 4 Jan" in matrix
    dashboard = engineer_client.get("/").content.decode()
    assert "Met until 4 Jan" in dashboard


def test_opening_a_period_reminds_whoever_lapses_inside_it_once(
    lapsing, team, manager, engineer, django_capture_on_commit_callbacks
):
    template = RotationTemplateFactory(team=team)
    period = services.create_period(
        team=team,
        template=template,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 1, 31),
        by=manager,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.open_collecting(period=period, by=manager)
    assert [m.to for m in mail.outbox] == [[engineer.email]]
    assert "Cloud admin role expires on 5 Jan" in mail.outbox[0].subject
    # The 14-day warning later does not repeat it.
    from scheduling.requirements.notify import warn_expiring

    with time_machine.travel(date(2026, 12, 23)), django_capture_on_commit_callbacks(execute=True):
        warn_expiring()
    assert not any(engineer.email in m.to and "expires" in m.subject for m in mail.outbox[1:])


def test_a_manager_reminds_a_member_and_an_engineer_cannot(
    lapsing, team, engineer, manager_client, engineer_client, django_capture_on_commit_callbacks
):
    url = f"/teams/{team.slug}/requirements/{lapsing.pk}/remind/{engineer.pk}/"
    assert engineer_client.post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url)
    assert response.status_code == 302
    assert mail.outbox[-1].to == [engineer.email]
    assert "renew Cloud admin role" in mail.outbox[-1].subject
    assert "met until 4 jan" in mail.outbox[-1].body
    assert AuditEntry.objects.filter(action="requirements.reminded").exists()
    assert (
        manager_client.post(
            f"/teams/{team.slug}/requirements/{lapsing.pk}/remind/999999/"
        ).status_code
        == 404
    )
