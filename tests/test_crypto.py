"""Secrets at rest: Fernet tokens keyed from ENCRYPTION_KEY, or derived from SECRET_KEY."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from rota import crypto


def test_round_trip_and_randomised_tokens(settings):
    settings.ENCRYPTION_KEY = ""
    first, second = crypto.encrypt("app-password"), crypto.encrypt("app-password")
    assert first != second
    assert "app-password" not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == "app-password"


def test_derived_key_depends_on_secret_key(settings):
    settings.ENCRYPTION_KEY = ""
    token = crypto.encrypt("secret")
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    with pytest.raises(crypto.DecryptionError, match="cannot be decrypted"):
        crypto.decrypt(token)


def test_configured_key_is_used_and_rotation_keeps_old_tokens(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENCRYPTION_KEY = old
    token = crypto.encrypt("secret")
    assert Fernet(old.encode()).decrypt(token.encode()) == b"secret"
    settings.ENCRYPTION_KEY = f"{new},{old}"
    assert crypto.decrypt(token) == "secret"
    assert Fernet(new.encode()).decrypt(crypto.encrypt("x").encode()) == b"x"


def test_bad_key_is_reported(settings):
    settings.ENCRYPTION_KEY = "not-a-fernet-key"
    with pytest.raises(ImproperlyConfigured, match="ENCRYPTION_KEY"):
        crypto.encrypt("x")


def test_field_stores_tokens_and_reads_plain_text():
    field = crypto.EncryptedTextField()
    stored = field.get_prep_value("hunter2")
    assert stored.startswith("gAAAA") and "hunter2" not in stored
    assert field.from_db_value(stored, None, None) == "hunter2"
    assert field.get_prep_value("") == ""
    assert field.from_db_value(None, None, None) is None
