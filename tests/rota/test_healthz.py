import time

import pytest

from rota import health
from tests import services

pytestmark = pytest.mark.django_db


def test_healthy_in_eager_mode(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["worker"].startswith("eager")


def test_unreachable_broker_is_503_naming_it(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{services.free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert "broker" in body["failing"] and "worker" in body["failing"]
    assert "database" not in body["failing"]


def test_stale_worker_heartbeat_is_503(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    health.record_beat()
    health.record_heartbeat(settings.CELERY_IO_QUEUE)
    health._redis().set(health.HEARTBEAT_KEY, str(time.time() - 3600))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert "last heartbeat" in response.json()["checks"]["worker"]


def test_fresh_worker_heartbeat_is_healthy(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    health.record_beat()
    health.record_heartbeat()
    health.record_heartbeat(settings.CELERY_IO_QUEUE)
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["broker"] == "ok"


def test_database_down_is_503(client, monkeypatch, settings):
    settings.REDIS_URL = ""
    monkeypatch.setattr(health, "check_database", lambda: (False, "error: OperationalError"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


def test_healthz_is_public_and_get_only(client):
    assert client.post("/healthz").status_code == 405


def test_stopped_beat_is_named_and_the_workers_read_unknown(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    health._redis().set(health.BEAT_KEY, str(time.time() - 3600))
    health._redis().set(health.HEARTBEAT_KEY, str(time.time() - 3600))
    health._redis().delete(health.IO_HEARTBEAT_KEY)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["beat"]
    assert body["checks"]["beat"].startswith("last task sent")
    assert body["checks"]["worker"].startswith("unknown: beat")
    assert body["checks"]["io_worker"].startswith("unknown: beat")


def test_stopped_io_worker_is_named(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    health.record_beat()
    health.record_heartbeat()
    health._redis().set(health.IO_HEARTBEAT_KEY, str(time.time() - 3600))
    response = client.get("/healthz")
    assert response.json()["failing"] == ["io_worker"]


def test_beat_records_itself_when_it_sends_a_task(settings, redis_url, monkeypatch):
    from rota import celery

    settings.REDIS_URL = redis_url
    health._redis().delete(health.BEAT_KEY)
    monkeypatch.setattr(celery, "_beat_recorded", 0.0)
    celery._record_beat()
    assert health.check_beat()[1] == "beat has not sent any task"  # not in beat: nothing
    monkeypatch.setattr(celery, "_in_beat", True)
    celery._record_beat()
    assert health.check_beat()[0]
