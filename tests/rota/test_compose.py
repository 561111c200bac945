"""docker-compose.yml is the production shape: check it although no Docker engine runs here."""

import importlib
import shlex
from pathlib import Path

import pytest
import yaml

from tests.services import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


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


def test_web_command_names_the_wsgi_module():
    command = _command("web")
    assert command[0] == "gunicorn"
    module, attribute = command[1].split(":")
    assert hasattr(importlib.import_module(module), attribute)


@pytest.mark.parametrize("name", ["worker", "io-worker", "beat"])
def test_celery_commands_name_the_celery_app(name):
    command = _command(name)
    app_module = command[command.index("-A") + 1]
    from celery import Celery

    assert isinstance(importlib.import_module(app_module).celery_app, Celery)


def test_migrate_runs_manage_py():
    command = _command("migrate")
    assert command[:3] == ["python", "manage.py", "migrate"]
    assert (ROOT / "manage.py").exists()


def test_environment_names_only_variables_settings_reads():
    settings_text = (ROOT / "rota" / "settings.py").read_text()
    environment = COMPOSE["x-rota-env"]
    for variable in environment:
        assert f'"{variable}"' in settings_text, f"{variable} is set in compose but never read"


def test_dockerfile_serves_the_same_wsgi_module():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "rota.wsgi:application" in dockerfile
    assert Path(ROOT / "pyproject.toml").exists()


def test_the_io_queue_has_its_own_worker_and_the_default_worker_leaves_it():
    from django.conf import settings

    io = SERVICES["io-worker"]["command"]
    assert io[io.index("--queues") + 1] == settings.CELERY_IO_QUEUE
    default = SERVICES["worker"]["command"]
    assert settings.CELERY_IO_QUEUE not in default[default.index("--queues") + 1].split(",")
    assert {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} == {"io"}
