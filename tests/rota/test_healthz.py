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
    health._redis().set(health.HEARTBEAT_KEY, str(time.time() - 3600))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert "last heartbeat" in response.json()["checks"]["worker"]


def test_fresh_worker_heartbeat_is_healthy(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    health.record_heartbeat()
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
