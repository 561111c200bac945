"""The recommend task runs through a real Celery worker on Redis, sharing PostgreSQL."""

from __future__ import annotations

import pytest

from scheduling.rotas import services
from scheduling.rotas.models import PeriodState, Recommendation, Seat
from tests.services import wait_until

pytestmark = pytest.mark.services


@pytest.fixture
def celery_worker_env() -> dict[str, str]:
    return {"ROTA_SOLVE_SECONDS": "3", "ROTA_SOLVE_WORKERS": "1"}


def test_recommend_runs_in_a_real_worker(celery_worker, period, crew, manager):
    recommendation = services.request_recommendation(period=period, by=manager)

    def finished() -> bool:
        recommendation.refresh_from_db()
        return recommendation.finished

    wait_until("the recommendation to finish", finished, timeout=90)
    assert recommendation.status == Recommendation.Status.DONE, (
        recommendation.error,
        celery_worker.log.read_text()[-2000:],
    )
    period.refresh_from_db()
    assert period.state == PeriodState.RECOMMENDED
    assert Seat.objects.filter(shift__period=period, proposed_holder__isnull=True).count() == 0
