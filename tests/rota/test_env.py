import pytest
from django.core.exceptions import ImproperlyConfigured

from rota import env


def test_required_string_names_the_variable(monkeypatch):
    monkeypatch.delenv("SOME_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_SECRET"):
        env.env_str("SOME_SECRET", required=True)


def test_string_default_when_unset(monkeypatch):
    monkeypatch.delenv("SOME_NAME", raising=False)
    assert env.env_str("SOME_NAME", "fallback") == "fallback"


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_bool_accepts_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env.env_bool("FLAG") is expected


def test_bool_rejects_other_words_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false.*'maybe'"):
        env.env_bool("DEBUG")


def test_int_rejects_text_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("WORKERS", "many")
    with pytest.raises(ImproperlyConfigured, match="WORKERS must be a whole number"):
        env.env_int("WORKERS", 1)
    monkeypatch.setenv("WORKERS", "0")
    with pytest.raises(ImproperlyConfigured, match="WORKERS must be at least 1"):
        env.env_int("WORKERS", 1, minimum=1)
    monkeypatch.setenv("WORKERS", "4")
    assert env.env_int("WORKERS", 1, minimum=1) == 4


def test_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "rota.example.com, ,www.example.com")
    assert env.env_list("ALLOWED_HOSTS") == ["rota.example.com", "www.example.com"]


def test_url_must_be_absolute(monkeypatch):
    monkeypatch.setenv("SITE_URL", "rota.example.com")
    with pytest.raises(
        ImproperlyConfigured, match="SITE_URL must be an absolute http or https URL"
    ):
        env.env_url("SITE_URL")
    monkeypatch.setenv("SITE_URL", "https://rota.example.com/")
    assert env.env_url("SITE_URL") == "https://rota.example.com"


def test_database_url_parses_postgres(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://rota:s%40cret@db.internal:5433/rota?sslmode=require"
    )
    config = env.database_from_url("DATABASE_URL", "sqlite:///x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("rota", "rota", "s@cret")
    assert (config["HOST"], config["PORT"]) == ("db.internal", "5433")
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_database_url_rejects_unknown_scheme(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://db/rota")
    with pytest.raises(
        ImproperlyConfigured, match="DATABASE_URL must start with postgres:// or sqlite:///"
    ):
        env.database_from_url("DATABASE_URL", "sqlite:///x")


def test_database_url_requires_a_name(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://db.internal")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must name a database"):
        env.database_from_url("DATABASE_URL", "sqlite:///x")


def test_email_url_smtp(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://user:pw@mail.example.com:587?tls=1")
    config = env.email_from_url("EMAIL_URL")
    assert config["EMAIL_HOST"] == "mail.example.com"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_USE_TLS"] is True
    assert config["EMAIL_HOST_USER"] == "user"


def test_email_url_default_is_console(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert env.email_from_url("EMAIL_URL")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_email_url_rejects_unknown_scheme(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "sendgrid://key")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must start with smtp://"):
        env.email_from_url("EMAIL_URL")
