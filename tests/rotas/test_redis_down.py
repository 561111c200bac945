"""Redis (cache and broker) down: pages and sign-in work, publish commits, emails wait.

The test starts its own Redis on a private port and stops it; once it is back, the outbox
sweep sends each summary email exactly once.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from rota import outbox
from rota.celery import app
from rota.models import OutboundEmail
from rota.tasks import sweep_outbox
from scheduling.rotas.models import PeriodState, Seat
from tests.factories import PASSWORD

pytestmark = pytest.mark.services


def _forget(app_) -> None:
    app_._pool = None
    app_.amqp._producer_pool = None
    app_._local.backend = None


@pytest.fixture
def redis_down(private_redis, settings):
    """Point the cache and the broker at the private Redis, then stop it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "rota.cache.FailSafeRedisCache",
            "LOCATION": private_redis.url(1),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    settings.REDIS_URL = private_redis.url(0)
    previous = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "result_backend")}
    app.conf.update(broker_url=private_redis.url(0), result_backend=None, task_always_eager=False)
    _forget(app)
    private_redis.stop()
    try:
        yield private_redis
    finally:
        app.conf.update(previous)
        _forget(app)


def _fill(period, people) -> None:
    for i, seat in enumerate(Seat.objects.filter(shift__period=period).order_by("pk")):
        Seat.objects.filter(pk=seat.pk).update(proposed_holder=people[i % len(people)])


def test_pages_sign_in_and_publish_work_while_redis_is_down_and_mail_goes_once_after(
    redis_down, period, crew, manager, team, django_capture_on_commit_callbacks
):
    _fill(period, crew)
    # Sign in through the form (its rate limits live in the cache): it works.
    client = Client()
    response = client.post(reverse("account_login"), {"login": manager.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    for url in (
        reverse("dashboard"),
        reverse("rotas:period", args=[team.slug, period.pk]),
        reverse("oncall:my_shifts"),
        reverse("healthz"),
    ):
        response = client.get(url)
        assert response.status_code in (200, 503) if url.endswith("healthz") else 200, url
    health = client.get(reverse("healthz")).json()
    assert "broker" in health["failing"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rotas:publish", args=[team.slug, period.pk]))
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.state == PeriodState.PUBLISHED
    assert mail.outbox == []
    waiting = OutboundEmail.objects.filter(kind="rota-published")
    assert waiting.count() == len(crew)
    assert set(waiting.values_list("status", flat=True)) == {OutboundEmail.Status.PENDING}
    page = client.get(reverse("rotas:period", args=[team.slug, period.pk]))
    assert f"{len(crew)} summary emails of version 1 waiting to be sent".encode() in page.content

    # Redis is back: the sweep (beat, each minute) sends what waited, and only once.
    redis_down.start()
    app.conf.task_always_eager = True
    sweep_outbox()
    sweep_outbox()
    assert outbox.due_ids() == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.contact_email for u in crew)
    assert set(waiting.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}
    page = client.get(reverse("rotas:period", args=[team.slug, period.pk]))
    assert b"waiting to be sent" not in page.content
