"""A real Celery worker process on Redis runs tasks sent from this process."""

import pytest

from rota import health
from rota.tasks import heartbeat
from tests.worker_tasks import count_teams, ping


def test_task_round_trip_through_a_real_worker(celery_worker):
    result = ping.delay(21)
    assert result.get(timeout=30) == 42


def test_worker_heartbeat_makes_healthz_healthy(celery_worker, redis_url, settings, client):
    settings.REDIS_URL = redis_url
    health._redis().delete(health.HEARTBEAT_KEY, health.IO_HEARTBEAT_KEY)
    health.record_beat()
    assert client.get("/healthz").json()["failing"] == ["worker", "io_worker"]
    heartbeat.apply_async().get(timeout=30)
    body = client.get("/healthz").json()
    assert body["failing"] == ["io_worker"], body
    heartbeat.apply_async(queue=celery_worker.io_queue).get(timeout=30)
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()


@pytest.mark.django_db(transaction=True)
def test_worker_uses_the_test_database(celery_worker):
    from tests.factories import TeamFactory

    TeamFactory.create_batch(3)
    assert count_teams.delay().get(timeout=30) == 3
