"""The recommend task runs through a real Celery worker on Redis, sharing PostgreSQL."""

from __future__ import annotations

import time

import pytest

from scheduling.rotas import services
from scheduling.rotas.models import PeriodState, Recommendation, Seat

pytestmark = pytest.mark.services


@pytest.fixture
def celery_worker_env() -> dict[str, str]:
    return {"ROTA_SOLVE_SECONDS": "3", "ROTA_SOLVE_WORKERS": "1"}


def test_recommend_runs_in_a_real_worker(celery_worker, period, crew, manager):
    recommendation = services.request_recommendation(period=period, by=manager)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        recommendation.refresh_from_db()
        if recommendation.finished:
            break
        time.sleep(0.3)
    assert recommendation.status == Recommendation.Status.DONE, (
        recommendation.error,
        celery_worker.log.read_text()[-2000:],
    )
    period.refresh_from_db()
    assert period.state == PeriodState.RECOMMENDED
    assert Seat.objects.filter(shift__period=period, proposed_holder__isnull=True).count() == 0
