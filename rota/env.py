"""Typed readers for environment variables that fail loudly, naming the variable."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    """Return a string variable, or raise naming it when required and missing."""
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean variable written as 1/0, true/false, yes/no or on/off."""
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return an integer variable, checking its lower bound."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated list variable with blanks removed."""
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, default: str = "", *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """Return an absolute URL variable without a trailing slash."""
    value = env_str(name, default)
    if not value:
        return value
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not parsed.netloc:
        allowed = " or ".join(schemes)
        raise ImproperlyConfigured(f"{name} must be an absolute {allowed} URL, not {value!r}.")
    return value.rstrip("/")


def database_from_url(name: str, default: str) -> dict:
    """Return a Django DATABASES entry parsed from a postgres:// or sqlite:/// URL."""
    url = env_str(name, default)
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://host/rota.")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    if parsed.scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not path:
            raise ImproperlyConfigured(f"{name} must be sqlite:///path/to/file.sqlite3.")
        # Development serves requests and background tasks from threads: writers wait their turn
        # (IMMEDIATE takes the write lock at BEGIN) instead of failing with "database is locked".
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    raise ImproperlyConfigured(
        f"{name} must start with postgres:// or sqlite:///, not {parsed.scheme or url!r}."
    )


def email_from_url(name: str, default: str = "console://") -> dict[str, object]:
    """Return Django email settings from smtp://, smtps://, console://, locmem:// or devmail://."""
    url = env_str(name, default)
    parsed = urlparse(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        # Development: kept under var/mail and listed at /dev/mail/ (rota/devmail).
        "devmail": "rota.devmail.backend.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ImproperlyConfigured(
            f"{name} must start with smtp://, smtps://, console://, locmem:// or devmail://,"
            f" not {url!r}."
        )
    settings: dict[str, object] = {"EMAIL_BACKEND": backends[parsed.scheme]}
    if parsed.scheme in ("smtp", "smtps"):
        if not parsed.hostname:
            raise ImproperlyConfigured(
                f"{name} must name a host, e.g. smtp://mail.example.com:587."
            )
        options = parse_qs(parsed.query)
        settings.update(
            EMAIL_HOST=parsed.hostname,
            EMAIL_PORT=parsed.port or (465 if parsed.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_SSL=parsed.scheme == "smtps",
            EMAIL_USE_TLS=options.get("tls", ["0"])[-1].lower() in _TRUE,
        )
    return settings
