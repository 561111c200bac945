"""Under `make run` (no broker, DEBUG) tasks run after the response, in one background thread."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rota import background
from scheduling.rotas.models import PeriodState, Recommendation
from tests.services import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_recommend_returns_before_the_engine_runs_and_the_status_follows(
    period, manager_client, settings, monkeypatch
):
    settings.ROTA_TASKS_IN_THREAD = True
    from scheduling.rotas.services import recommend

    release = []
    original = recommend.run_recommendation

    def slow(**kwargs):
        wait_until(
            "the page to answer", lambda: release, timeout=30, every=0.05
        )  # the engine waits until the page has answered
        return original(**kwargs)

    monkeypatch.setattr(recommend, "run_recommendation", slow)
    response = manager_client.post(reverse("rotas:recommend", args=["payments", period.pk]))
    assert response.status_code == 302
    status_url = reverse("rotas:status", args=["payments", period.pk])
    assert manager_client.get(status_url).json()["busy"] is True
    page = manager_client.get(reverse("rotas:period", args=["payments", period.pk]))
    assert b"Working out a recommended rota" in page.content
    assert b'http-equiv="refresh"' in page.content  # without JavaScript the page refreshes
    release.append(True)
    background.wait_idle()
    assert manager_client.get(status_url).json() == {
        "status": "done",
        "announcing": False,
        "url": reverse("rotas:period", args=["payments", period.pk]),
        "finished": True,
        "error": "",
        "busy": False,
    }
    period.refresh_from_db()
    assert period.state == PeriodState.RECOMMENDED
    assert Recommendation.objects.get(period=period).status == "done"


def test_a_failing_task_is_logged_and_the_thread_goes_on(settings, caplog):
    settings.ROTA_TASKS_IN_THREAD = True
    from rota.celery import app

    ran = []

    @app.task(name="tests.background.boom")
    def boom() -> None:
        raise RuntimeError("boom")

    @app.task(name="tests.background.after")
    def after() -> None:
        ran.append(True)

    result = boom.delay()
    after.delay()
    assert result.id  # the caller gets an id at once, like from a broker
    background.wait_idle()
    assert ran == [True]
    assert "tests.background.boom failed" in caplog.text


def test_tests_run_tasks_inline(settings):
    assert settings.ROTA_TASKS_IN_THREAD is False


def test_publish_returns_at_once_and_shows_the_team_being_told_until_the_emails_went(
    period, manager, manager_client, settings, monkeypatch
):
    settings.ROTA_TASKS_IN_THREAD = True
    from scheduling.rotas import progress, services

    services.run_recommendation(
        recommendation_id=services.request_recommendation(period=period, by=manager).pk
    )
    background.wait_idle()
    release = []
    original = progress.finish

    def slow(**kwargs):
        wait_until("the page to answer", lambda: release, timeout=30, every=0.05)
        return original(**kwargs)

    # The background thread holds the announcement open until the test lets it finish.
    monkeypatch.setattr(progress, "finish", slow)
    url = reverse("rotas:period", args=["payments", period.pk])
    response = manager_client.post(
        reverse("rotas:publish", args=["payments", period.pk]), {"confirm_unfilled": "on"}
    )
    assert response.status_code == 302
    page = manager_client.get(url).content.decode()
    assert "updating calendars and emailing" in page
    assert 'id="publish-button"' not in page  # published: Publish is no longer offered
    status = reverse("rotas:status", args=["payments", period.pk])
    assert manager_client.get(status).json()["announcing"] is True
    release.append(True)
    background.wait_idle()
    assert manager_client.get(status).json()["busy"] is False
    page = manager_client.get(url).content.decode()
    assert "updating calendars" not in page
    assert "is what the team sees, in their calendars and by email" in page
