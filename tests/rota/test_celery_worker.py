"""A real Celery worker process on Redis runs tasks sent from this process."""

import pytest

from rota import health
from rota.tasks import heartbeat
from tests.services import wait_until
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
    # Read once right after the result, this failed once on a loaded machine: poll instead.
    body = wait_until("the worker's heartbeat", lambda: _failing_only(client, "io_worker"))
    assert body["checks"]["worker"].startswith("ok"), body
    heartbeat.apply_async(queue=celery_worker.io_queue).get(timeout=30)
    wait_until("both heartbeats", lambda: client.get("/healthz").status_code == 200)


def _failing_only(client, part: str) -> dict | None:
    body = client.get("/healthz").json()
    return body if body.get("failing") == [part] else None


@pytest.mark.django_db(transaction=True)
def test_worker_uses_the_test_database(celery_worker):
    from tests.factories import TeamFactory

    TeamFactory.create_batch(3)
    assert count_teams.delay().get(timeout=30) == 3
