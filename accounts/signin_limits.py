"""Sign-in limits: failed attempts counted per account and per client address.

A person's account is locked for the window after SIGN_IN_FAILURES_PER_ACCOUNT failures from
anywhere; a client address after SIGN_IN_FAILURES_PER_ADDRESS failures on any accounts. The
address is `rota.clientip.client_address` (X-Forwarded-For only behind TRUSTED_PROXIES), so
one person mistyping behind a shared proxy does not lock out the office.

The counts live in the shared cache. When the cache cannot be reached (or silently drops
writes) they are counted in this process's memory instead and a warning is logged: the limits
keep working per process (a little looser with several processes) and never lock anyone out
because the cache is gone.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest

from rota.clientip import client_address

log = logging.getLogger(__name__)
PREFIX = "rota:signin:1"
T = TypeVar("T")
HEALTH_SECONDS = 10

_fallback = LocMemCache("rota-signin-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
_health = {"checked_at": 0.0, "healthy": True}
_lock = threading.Lock()


def _cache_works() -> bool:
    try:
        token = str(time.monotonic_ns())
        cache.set(f"{PREFIX}:probe", token, 30)
        return cache.get(f"{PREFIX}:probe") == token
    except Exception:  # any backend's connection error: the cache is not usable right now
        return False


def store() -> BaseCache:
    """Return the shared cache, or this process's memory while the cache is unreachable."""
    now = time.monotonic()
    with _lock:
        fresh = now - _health["checked_at"] < HEALTH_SECONDS
        healthy = _health["healthy"]
    if not fresh:
        healthy = _cache_works()
        with _lock:
            if healthy != _health["healthy"]:
                if healthy:
                    log.warning("Sign-in limits: the cache is back; counting there again.")
                else:
                    log.warning(
                        "Sign-in limits: the cache is unreachable; counting failed sign-ins "
                        "in this process's memory until it returns."
                    )
            _health.update(checked_at=now, healthy=healthy)
    return cache if healthy else _fallback


def _forget_health() -> None:
    """Check the cache again on the next use (after an error, and in tests)."""
    with _lock:
        _health["checked_at"] = 0.0


@dataclass(frozen=True)
class Limit:
    name: str
    failures: int
    seconds: int


def limits() -> tuple[Limit, Limit]:
    window = settings.SIGN_IN_LOCK_SECONDS
    return (
        Limit("account", settings.SIGN_IN_FAILURES_PER_ACCOUNT, window),
        Limit("address", settings.SIGN_IN_FAILURES_PER_ADDRESS, window),
    )


def _address_key(request: HttpRequest) -> str:
    address = ipaddress.ip_address(client_address(request))
    if isinstance(address, ipaddress.IPv6Address):
        # One person usually holds a whole /64.
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False).network_address)
    return str(address)


def _keys(request: HttpRequest, login: str) -> dict[str, str]:
    account = hashlib.sha256(login.strip().lower().encode()).hexdigest()
    return {
        "account": f"{PREFIX}:account:{account}",
        "address": f"{PREFIX}:address:{_address_key(request)}",
    }


def _recent(backend: BaseCache, key: str, seconds: int, now: float) -> list[float]:
    return [stamp for stamp in backend.get(key) or [] if stamp > now - seconds]


def _with_store(action: Callable[[BaseCache], T]) -> T:
    """Run action(backend); if the cache fails midway, run it again on this process's memory."""
    backend = store()
    try:
        return action(backend)
    except Exception:
        if backend is _fallback:
            raise
        log.warning("Sign-in limits: the cache failed during a sign-in; using memory.")
        with _lock:
            _health.update(checked_at=time.monotonic(), healthy=False)
        return action(_fallback)


def blocked(request: HttpRequest, login: str) -> bool:
    """Tell whether this account or this client address has failed too often lately."""
    now = time.time()
    keys = _keys(request, login)

    def check(backend: BaseCache) -> bool:
        return any(
            len(_recent(backend, keys[limit.name], limit.seconds, now)) >= limit.failures
            for limit in limits()
        )

    return bool(_with_store(check))


def record_failure(request: HttpRequest, login: str) -> None:
    """Count one failed sign-in against the account and the client address."""
    now = time.time()
    keys = _keys(request, login)

    def record(backend: BaseCache) -> None:
        for limit in limits():
            history = _recent(backend, keys[limit.name], limit.seconds, now)
            backend.set(keys[limit.name], [*history, now][-limit.failures :], limit.seconds)

    _with_store(record)


def clear_account(request: HttpRequest, login: str) -> None:
    """Forget an account's failures (after its password was reset by email)."""
    key = _keys(request, login)["account"]
    _with_store(lambda backend: backend.delete(key))
