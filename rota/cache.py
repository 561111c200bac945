"""A Redis cache that answers as a miss while Redis is down, so pages are built without it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

# After a failure the cache is skipped this long, so a request does not wait for a timeout
# on every one of its cache calls.
RETRY_AFTER_SECONDS = 5.0


class FailSafeRedisCache(RedisCache):
    """RedisCache whose errors are logged and treated as misses (reads) or no-ops (writes)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        """Tell whether the cache is used right now (False for a while after a failure)."""
        return time.monotonic() >= self._down_until

    def _guard(
        self,
        action: Callable[[], Any],
        fallback: Any,
        passthrough: tuple[type[BaseException], ...] = (),
    ) -> Any:
        if not self.available:
            return fallback
        try:
            return action()
        except passthrough:
            raise
        except Exception as error:  # connection refused, timeout, OOM, a failover: all misses
            with self._lock:
                first = self.available
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            if first:
                log.warning("cache unavailable (%s): serving without it", error.__class__.__name__)
            return fallback

    def get(self, *args: Any, **kwargs: Any) -> Any:
        default = args[1] if len(args) > 1 else kwargs.get("default")
        return self._guard(lambda: super(FailSafeRedisCache, self).get(*args, **kwargs), default)

    def get_many(self, *args: Any, **kwargs: Any) -> dict:
        return self._guard(lambda: super(FailSafeRedisCache, self).get_many(*args, **kwargs), {})

    def has_key(self, *args: Any, **kwargs: Any) -> bool:
        return self._guard(lambda: super(FailSafeRedisCache, self).has_key(*args, **kwargs), False)

    def set(self, *args: Any, **kwargs: Any) -> None:
        return self._guard(lambda: super(FailSafeRedisCache, self).set(*args, **kwargs), None)

    def set_many(self, *args: Any, **kwargs: Any) -> list:
        return self._guard(lambda: super(FailSafeRedisCache, self).set_many(*args, **kwargs), [])

    def add(self, *args: Any, **kwargs: Any) -> bool:
        # True: a caller that uses add() as a claim goes ahead, as it would with no cache at all.
        return self._guard(lambda: super(FailSafeRedisCache, self).add(*args, **kwargs), True)

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return self._guard(lambda: super(FailSafeRedisCache, self).delete(*args, **kwargs), False)

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        return self._guard(
            lambda: super(FailSafeRedisCache, self).delete_many(*args, **kwargs), None
        )

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return self._guard(lambda: super(FailSafeRedisCache, self).touch(*args, **kwargs), False)

    def get_or_set(self, key: Any, default: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.available:
            return default() if callable(default) else default
        return super().get_or_set(key, default, *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> int:
        # A missing key raises ValueError in Django: so does a cache that is down (a miss).
        missing = ValueError("Key not found (cache unavailable)")
        result = self._guard(
            lambda: super(FailSafeRedisCache, self).incr(*args, **kwargs), missing, (ValueError,)
        )
        if result is missing:
            raise missing
        return result

    def clear(self) -> None:
        self._guard(lambda: super(FailSafeRedisCache, self).clear(), None)
