"""Settings are read at start-up: a bad variable stops the process naming itself."""

import os
import subprocess
import sys

from tests.services import ROOT

PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "production-like-secret-key-with-enough-entropy-0987654321",
    "ALLOWED_HOSTS": "rota.example.com",
    "SITE_URL": "https://rota.example.com",
    "DATABASE_URL": "postgres://rota@db.internal:5432/rota",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp://mail.example.com:587?tls=1",
    "DEBUG": "0",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in PRODUCTION and not k.startswith("ROTA_")
    }
    clean.pop("PYTEST_CURRENT_TEST", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_names_the_variable():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY" in result.stderr


def test_bad_boolean_names_the_variable():
    result = _manage("check", **{**PRODUCTION, "DEBUG": "sometimes"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_a_cache_url_that_is_not_redis_names_the_variable():
    result = _manage("check", **{**PRODUCTION, "CACHE_URL": "memcached://cache:11211"})
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


def test_production_shares_redis_for_cache_sessions_and_page_parts():
    code = (
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION'), "
        "s.SESSION_ENGINE, s.PAGE_CACHE)"
    )
    result = _manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "rota.cache.FailSafeRedisCache",
        "redis://redis.internal:6379/0",
        "django.contrib.sessions.backends.db",
        "True",
    ]
    alone = _manage("shell", "--no-imports", "-c", code, **{**PRODUCTION, "REDIS_URL": ""})
    # One process's memory is no shared cache: nothing is kept between requests' teams.
    assert alone.stdout.split()[-2:] == ["django.contrib.sessions.backends.db", "False"]


def test_the_development_mailbox_needs_debug():
    result = _manage("check", **{**PRODUCTION, "EMAIL_URL": "devmail://"})
    assert result.returncode != 0
    assert "EMAIL_URL=devmail:// is for development: it needs DEBUG=1." in result.stderr


def test_debug_keeps_email_in_the_development_mailbox_and_routes_it():
    """Commands other than runserver (here: shell) run tasks inline."""
    code = (
        "from django.conf import settings; from django.urls import reverse;"
        "print(settings.ROTA_EMAIL_BACKEND, reverse('devmail:list'), settings.ROTA_TASKS_IN_THREAD)"
    )
    result = _manage("shell", "-c", code, DEBUG="1", DATABASE_URL="sqlite:////tmp/unused.sqlite3")
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.split() == ["rota.devmail.backend.EmailBackend", "/dev/mail/", "False"]
