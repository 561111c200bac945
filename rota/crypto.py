"""Encrypt secrets at rest with Fernet; EncryptedTextField keeps a model column encrypted."""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver


class DecryptionError(Exception):
    """A stored secret cannot be decrypted with the configured keys."""


def _derive_from_secret_key(secret_key: str) -> bytes:
    """Return a Fernet key derived from SECRET_KEY with HKDF/SHA-256."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"rota.crypto.fernet.v1")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    """Return the cipher: ENCRYPTION_KEY (comma-separated, newest first) or one derived key."""
    configured = [key.strip() for key in (settings.ENCRYPTION_KEY or "").split(",") if key.strip()]
    if not configured:
        # No ENCRYPTION_KEY: derive one from SECRET_KEY, so rotating SECRET_KEY makes the stored
        # secrets unreadable. Production should set ENCRYPTION_KEY (Fernet.generate_key()).
        return MultiFernet([Fernet(_derive_from_secret_key(settings.SECRET_KEY))])
    try:
        return MultiFernet([Fernet(key.encode()) for key in configured])
    except ValueError:
        raise ImproperlyConfigured(
            "ENCRYPTION_KEY must be one or more comma-separated Fernet keys "
            "(32 url-safe base64-encoded bytes, e.g. from Fernet.generate_key())."
        ) from None


@receiver(setting_changed)
def _reset_key(*, setting: str, **kwargs: Any) -> None:
    if setting in ("ENCRYPTION_KEY", "SECRET_KEY"):
        _fernet.cache_clear()


def encrypt(plaintext: str) -> str:
    """Return a Fernet token for the text."""
    return _fernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """Return the text inside a Fernet token."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        raise DecryptionError(
            "A stored secret cannot be decrypted: ENCRYPTION_KEY (or SECRET_KEY) has changed."
        ) from None


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; the model attribute is the plain text.

    Tokens are randomised, so the column cannot be filtered on by value. The empty string is
    stored as is (it is not a secret).
    """

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)
