"""Shared fixtures: personas, clients, and the real services tests need."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from tests import services
from tests.factories import MembershipFactory, TeamFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

OUTPUT_DIR = Path(os.environ.get("TEST_OUTPUT_DIR", services.ROOT / "test-results"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser and real-worker tests slow, then put the long and the slow ones first.

    Test processes take the first quarter of the tests in turn and the rest as they finish
    (pytest-xdist's load scheduling): started last, the two sweeps of a minute or more kept one
    process busy while the others had finished.
    """
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if item.get_closest_marker("browser") or "celery_worker" in fixtures:
            item.add_marker(pytest.mark.slow)
    # A stable sort: the same order in every process, as pytest-xdist requires.
    items.sort(key=lambda i: (not i.get_closest_marker("long"), not i.get_closest_marker("slow")))


@pytest.fixture(autouse=True)
def _eager_celery(settings) -> Iterator[None]:
    """Run tasks in-process unless a test starts a real worker."""
    from rota.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True, scope="session")
def _safe_mail_headers(django_test_environment) -> None:
    """Send test mail through Rota's header-safe backend, as production does (then locmem)."""
    from django.conf import settings

    settings.ROTA_EMAIL_BACKEND = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "rota.mail.SafeHeadersBackend"


@pytest.fixture(autouse=True)
def _stamp_guard() -> Iterator[None]:
    """Start each test with an empty cache; fail it if a write never renewed a team's stamp."""
    from django.core.cache import cache
    from django.db import connection

    from accounts import stamps
    from tests.stamp_guard import StampGuard

    cache.clear()
    guard = StampGuard()
    stamps.listeners.append(guard.touched)
    try:
        with connection.execute_wrapper(guard):
            yield
    finally:
        stamps.listeners.remove(guard.touched)
    assert not guard.pending, "writes that did not renew their team's stamp: " + "; ".join(
        guard.messages
    )


@pytest.fixture
def team(db):
    return TeamFactory(name="Payments", slug="payments")


@pytest.fixture
def manager(team):
    return MembershipFactory(team=team, role="manager", user__display_name="Maya Manager").user


@pytest.fixture
def engineer(team):
    return MembershipFactory(team=team, role="engineer", user__display_name="Eddie Engineer").user


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Elsewhere", slug="elsewhere")


@pytest.fixture
def outsider(other_team):
    """A manager of another team: powerful there, nobody here."""
    return MembershipFactory(
        team=other_team, role="manager", user__display_name="Olga Outsider"
    ).user


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(manager) -> Client:
    return _client_for(manager)


@pytest.fixture
def engineer_client(engineer) -> Client:
    return _client_for(engineer)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return _client_for(outsider)


@pytest.fixture
def client_for():
    """Return a function that makes a logged-in test client for a user."""
    return _client_for


# --- real services ---------------------------------------------------------


@pytest.fixture
def outbox_sends_at_once(monkeypatch) -> None:
    """Send outbox emails at once, as a job outside a transaction does (tests run in one)."""
    from rota import queue

    monkeypatch.setattr(queue, "after_commit", queue.enqueue)


@pytest.fixture
def postgres(db):
    """Require the test database to be PostgreSQL."""
    from django.db import connection

    services.require(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL)")
    return connection


@pytest.fixture
def redis_url() -> str:
    services.require(services.redis_available(), f"Redis at {services.REDIS_TEST_URL}")
    return services.REDIS_TEST_URL


@pytest.fixture
def celery_worker_env() -> dict[str, str]:
    """Extra environment for the worker process; override in a test module (e.g. EMAIL_URL)."""
    return {}


@pytest.fixture
def celery_worker_pool() -> tuple[str, int]:
    """The worker's pool and concurrency; override in a module that needs parallel tasks."""
    return ("solo", 1)


def _io_routes(io_queue: str) -> dict:
    from django.conf import settings

    return {pattern: {"queue": io_queue} for pattern in settings.CELERY_TASK_ROUTES}


def _set_routes(app, routes: dict) -> None:
    app.conf.task_routes = routes
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


@pytest.fixture
def celery_worker(
    transactional_db, redis_url, tmp_path, celery_worker_env, celery_worker_pool, settings
) -> Iterator[services.CeleryWorker]:
    """Start a real worker on Redis (its queue and its io twin) and route this process's tasks
    to it; share its cache."""
    from django.core.cache import cache
    from django.db import connection

    from rota.celery import app

    services.require(
        connection.vendor == "postgresql",
        "PostgreSQL (set DATABASE_URL) so a worker process can share the test database",
    )
    # Team stamps the worker renews must reach the pages this process renders.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": services.cache_url_for(redis_url),
        }
    }
    cache.clear()
    worker = services.start_celery_worker(
        database_url=services.database_url_for(connection.settings_dict),
        redis_url=redis_url,
        log_dir=tmp_path,
        extra_env=celery_worker_env,
        pool=celery_worker_pool[0],
        concurrency=celery_worker_pool[1],
    )
    previous = {
        key: app.conf[key]
        for key in (
            "broker_url",
            "result_backend",
            "task_always_eager",
            "task_default_queue",
            "task_routes",
        )
    }
    app.conf.update(
        broker_url=redis_url,
        result_backend=redis_url,
        task_always_eager=False,
        task_default_queue=worker.queue,
    )
    _set_routes(app, _io_routes(worker.io_queue))
    _forget_connections(app)
    try:
        yield worker
    finally:
        worker.stop()
        routes = previous.pop("task_routes")
        app.conf.update(previous)
        _set_routes(app, routes)
        _forget_connections(app)


@pytest.fixture
def restart_celery_worker(celery_worker, redis_url, tmp_path, celery_worker_env):
    """Return a function that starts a new worker on the queue of a stopped `celery_worker`."""
    from django.db import connection

    started: list[services.CeleryWorker] = []

    def start() -> services.CeleryWorker:
        worker = services.start_celery_worker(
            database_url=services.database_url_for(connection.settings_dict),
            redis_url=redis_url,
            log_dir=tmp_path,
            extra_env=celery_worker_env,
            queue=celery_worker.queue,
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def _forget_connections(app) -> None:
    """Make Celery build its broker pool and result backend again from the current conf."""
    app._pool = None
    app.amqp._producer_pool = None
    app._local.backend = None


@pytest.fixture
def radicale(tmp_path) -> Iterator[services.Radicale]:
    """Start a Radicale CalDAV server with users alice, bob and carol."""
    server = services.Radicale(root=tmp_path / "radicale")
    server.root.mkdir()
    try:
        server.start()
    except (RuntimeError, FileNotFoundError) as error:
        services.require(False, f"Radicale ({error})")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def private_redis(tmp_path) -> Iterator[services.PrivateRedis]:
    """Start a Redis of this test's own on a free port (``.stop()`` and ``.start()`` it)."""
    server = services.PrivateRedis(root=tmp_path)
    try:
        server.start()
    except (RuntimeError, FileNotFoundError) as error:
        services.require(False, f"redis-server ({error})")
    try:
        yield server
    finally:
        server.stop()


class SmtpSink:
    """Collect messages delivered over SMTP by any process."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_sink(settings) -> Iterator[tuple[SmtpSink, int]]:
    """Run an SMTP server on 127.0.0.1 and point Django's mail at it."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    port = services.free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.ROTA_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink, port
    finally:
        controller.stop()


@dataclass
class OidcProvider:
    """An OpenID provider on loopback (oidc-provider-mock) that Rota is configured to use."""

    issuer: str
    label: str = "Acme SSO"


@pytest.fixture
def oidc_provider(settings) -> Iterator[OidcProvider]:
    """Run a real OpenID Connect provider on loopback and point Rota's SSO at it.

    Its users: ann@example.com (invited in tests), bo@acme.example (a domain a team may
    allow), eve@evil.example (nobody's); each with a verified email.
    """
    from oidc_provider_mock import User as OidcUser
    from oidc_provider_mock import run_server_in_thread

    users = [
        OidcUser(sub=sub, claims={"email": sub, "email_verified": True, "name": name})
        for sub, name in [
            ("ann@example.com", "Ann Example"),
            ("bo@acme.example", "Bo Acme"),
            ("eve@evil.example", "Eve"),
            ("eddie@example.com", "Eddie Engineer"),
        ]
    ]
    with run_server_in_thread(user_claims=users) as server:
        provider = OidcProvider(issuer=f"http://localhost:{server.server_port}")
        settings.SSO_ENABLED = True
        settings.OIDC_BUTTON_LABEL = provider.label
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "APPS": [
                    {
                        "provider_id": "sso",
                        "name": provider.label,
                        "client_id": "rota",
                        "secret": "rota-secret",
                        "settings": {"server_url": provider.issuer},
                    }
                ],
                "OAUTH_PKCE_ENABLED": True,
            }
        }
        yield provider


# --- browser ---------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium; Playwright's own browser download does not work here."""
    services.require(services.chromium_available(), f"Chromium at {services.CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": services.CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshot():
    """Return a function saving a full-page screenshot under test-results/screenshots."""
    folder = OUTPUT_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
