"""The manager's team availability page, team settings, deadlines and reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail

from scheduling.availability.models import (
    AvailabilityDeadline,
    AvailabilitySettings,
    MonthConfirmation,
)
from scheduling.availability.services import send_deadline_reminders
from scheduling.availability.tasks import send_deadline_reminders as reminder_task
from tests.availability.factories import BusyBlockFactory, EntryFactory

NOW = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("outbox_sends_at_once")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_manager_sees_people_by_days_with_busy_but_no_titles(manager_client, engineer):
    EntryFactory(user=engineer, day=date(2026, 11, 2), kind="preferred")
    BusyBlockFactory(
        connection__user=engineer,
        summary="Secret interview",
        start=datetime(2026, 11, 3, 9, tzinfo=UTC),
        end=datetime(2026, 11, 3, 10, tzinfo=UTC),
    )
    response = manager_client.get("/teams/payments/availability/?month=2026-11")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Eddie Engineer" in page
    assert "Mon 2 Nov: preferred" in page
    assert "Tue 3 Nov: busy (calendar)" in page
    assert "Secret interview" not in page


def test_engineer_gets_403_and_outsider_404(engineer_client, outsider_client, team):
    assert engineer_client.get("/teams/payments/availability/").status_code == 403
    assert outsider_client.get("/teams/payments/availability/").status_code == 404
    assert (
        engineer_client.post(
            "/teams/payments/availability/settings/", {"unmarked_means": "unknown"}
        ).status_code
        == 403
    )
    assert outsider_client.post("/teams/payments/availability/deadline/", {}).status_code == 404
    assert not AvailabilitySettings.objects.filter(unmarked_means="unknown").exists()


def test_settings_change_what_unmarked_means(manager_client, team, engineer):
    manager_client.post("/teams/payments/availability/settings/", {"unmarked_means": "unknown"})
    assert AvailabilitySettings.objects.get(team=team).unmarked_means == "unknown"
    page = manager_client.get("/teams/payments/availability/?month=2026-11").content.decode()
    assert "Mon 2 Nov: not marked" in page


def test_set_deadline_and_refuse_a_past_one(manager_client, team):
    manager_client.post(
        "/teams/payments/availability/deadline/", {"month": "2026-12", "due_on": "2026-11-20"}
    )
    deadline = AvailabilityDeadline.objects.get(team=team)
    assert (deadline.month, deadline.due_on) == (date(2026, 12, 1), date(2026, 11, 20))
    response = manager_client.post(
        "/teams/payments/availability/deadline/",
        {"month": "2026-12", "due_on": "2026-10-01"},
        follow=True,
    )
    assert "in the past" in response.content.decode()
    assert AvailabilityDeadline.objects.get(team=team).due_on == date(2026, 11, 20)
    response = manager_client.post(
        "/teams/payments/availability/deadline/", {"month": "soon", "due_on": "x"}, follow=True
    )
    assert "Enter a month" in response.content.decode()


def test_reminders_go_to_people_who_have_not_confirmed_once_a_day(team, manager, engineer):
    AvailabilityDeadline.objects.create(
        team=team, month=date(2026, 11, 1), due_on=date(2026, 10, 23)
    )
    MonthConfirmation.objects.create(user=manager, month=date(2026, 11, 1))

    reminder_task.delay()
    assert [message.to for message in mail.outbox] == [[engineer.email]]
    assert "November 2026" in mail.outbox[0].subject
    assert "3 days from now" in mail.outbox[0].body

    assert send_deadline_reminders() == 0  # the same day again: nothing
    assert send_deadline_reminders(today=date(2026, 10, 21)) == 0  # not a reminder day
    assert send_deadline_reminders(today=date(2026, 10, 22)) == 1  # the day before


def test_team_page_links_from_the_team_for_managers(manager_client, engineer_client):
    assert (
        "/teams/payments/availability/" in manager_client.get("/teams/payments/").content.decode()
    )
    assert (
        "/teams/payments/availability/"
        not in engineer_client.get("/teams/payments/").content.decode()
    )
