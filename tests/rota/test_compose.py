"""docker-compose.yml is the production shape: check it although no Docker engine runs here."""

import ast
import importlib
import json
import re
import shlex

import pytest
import yaml
from django.core.management import get_commands
from django.urls import resolve

from tests.services import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
WORKERS = ["worker", "io-worker"]
# Read by others than Rota's settings: gunicorn (WEB_CONCURRENCY), the postgres image.
NOT_SETTINGS = {"WEB_CONCURRENCY", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"}


def test_every_service_of_the_production_shape_exists():
    assert {
        "postgres",
        "redis",
        "web",
        "worker",
        "io-worker",
        "beat",
        "radicale",
        "mailpit",
    } <= set(SERVICES)


@pytest.mark.parametrize(
    "name", ["postgres", "redis", "web", "worker", "io-worker", "radicale", "mailpit"]
)
def test_long_running_services_have_healthchecks(name):
    assert SERVICES[name]["healthcheck"]["test"]


@pytest.mark.parametrize("name", ["web", "worker", "io-worker", "beat"])
def test_app_services_wait_for_healthy_dependencies(name):
    depends = SERVICES[name]["depends_on"]
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def _command(name: str) -> list[str]:
    command = SERVICES[name]["command"]
    return command if isinstance(command, list) else shlex.split(command)


def _option(command: list[str], name: str, default: str | None = None) -> str | None:
    return command[command.index(name) + 1] if name in command else default


def test_web_command_names_the_wsgi_module():
    command = _command("web")
    assert command[0] == "gunicorn"
    module, attribute = command[1].split(":")
    assert callable(getattr(importlib.import_module(module), attribute))


def test_the_web_healthcheck_asks_a_page_of_rota_on_the_port_web_binds():
    check = " ".join(SERVICES["web"]["healthcheck"]["test"])
    url = re.search(r"http://127\.0\.0\.1:(\d+)(/\S*)", check)
    port = _option(_command("web"), "--bind").rsplit(":", 1)[1]
    assert url.group(1) == port
    assert resolve(url.group(2)).url_name == "healthz"


@pytest.mark.parametrize("name", ["worker", "io-worker", "beat"])
def test_celery_commands_name_the_celery_app(name):
    command = _command(name)
    app_module = command[command.index("-A") + 1]
    from celery import Celery

    assert isinstance(importlib.import_module(app_module).celery_app, Celery)


@pytest.mark.parametrize("name", WORKERS)
def test_a_workers_healthcheck_pings_the_node_name_that_worker_takes(name):
    check = " ".join(SERVICES[name]["healthcheck"]["test"])
    pinged = re.search(r"-d (\S+)@\$\$HOSTNAME", check).group(1)
    node = _option(_command(name), "--hostname", "celery@%h")
    assert node == f"{pinged}@%h"


def _consumed() -> dict[str, set[str]]:
    return {name: set(_option(_command(name), "--queues").split(",")) for name in WORKERS}


def _queue_of(task: str, options: dict | None = None) -> str:
    from rota.celery import app

    return app.amqp.router.route(dict(options or {}), task)["queue"].name


def test_every_task_goes_to_a_queue_a_compose_worker_reads_and_each_worker_gets_some():
    from rota.celery import app

    app.loader.import_default_modules()
    tasks = [name for name in app.tasks if not name.startswith(("celery.", "tests."))]
    consumed = _consumed()
    readers = {
        task: [w for w, queues in consumed.items() if _queue_of(task) in queues] for task in tasks
    }
    assert not [task for task, workers in readers.items() if len(workers) != 1], readers
    assert {workers[0] for workers in readers.values()} == set(WORKERS)


def test_outbound_io_runs_on_the_io_worker_and_the_engine_on_the_other():
    consumed = _consumed()
    for task in ("rota.tasks.send_email", "calendars.tasks.push_user"):
        assert _queue_of(task) in consumed["io-worker"], task
    assert _queue_of("rotas.tasks.recommend") in consumed["worker"]


def test_every_beat_job_names_a_task_a_compose_worker_reads():
    from django.conf import settings

    from rota.celery import app

    app.loader.import_default_modules()
    read = set().union(*_consumed().values())
    for name, job in settings.CELERY_BEAT_SCHEDULE.items():
        assert job["task"] in app.tasks, name
        assert _queue_of(job["task"], job.get("options")) in read, name


def test_migrate_runs_manage_py():
    command = _command("migrate")
    assert command[:3] == ["python", "manage.py", "migrate"]
    assert (ROOT / "manage.py").exists()
    assert "migrate" in get_commands()


def _read_by_settings() -> set[str]:
    """Return the variables rota/settings.py reads through the rota.env helpers."""
    tree = ast.parse((ROOT / "rota" / "settings.py").read_text())
    helpers = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "rota.env"
        for alias in node.names
    }
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in helpers
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def _set_by_compose() -> set[str]:
    names = set(COMPOSE["x-rota-env"])
    for service in SERVICES.values():
        names |= set(service.get("environment") or {})
    return names - NOT_SETTINGS


def test_every_variable_compose_sets_is_read_by_settings_through_the_env_helpers():
    unread = _set_by_compose() - _read_by_settings()
    assert not unread, f"set in compose but never read by settings: {sorted(unread)}"


def test_every_variable_compose_sets_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", readme))
    assert _set_by_compose() | {"WEB_CONCURRENCY"} <= documented


def test_dockerfile_serves_what_compose_serves():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1))
    assert cmd == _command("web")
