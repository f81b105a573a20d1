"""A Redis cache that turns a lost Redis into cache misses instead of server errors.

Django's own ``RedisCache`` raises ``redis.ConnectionError`` from every call while Redis is
down, so one lost Redis would take the whole site with it (sessions, settings, rate limits
and rendered pages all go through the cache). Here a failed call is logged once, answers as a
miss (``get`` returns the default, ``set``/``add`` report failure, ``incr`` raises the
``ValueError`` of a missing key) and the cache stays "open" for ``RETRY_AFTER`` seconds, so a
request does not wait for a connection timeout on every call. The database stays the source
of truth everywhere: sessions are ``cached_db``, and the task rows are swept from the database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
_MISSING = object()


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose calls degrade to misses while Redis is unreachable."""

    RETRY_AFTER = 5.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        # Fail fast: a cache that takes seconds to time out is worse than no cache.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        params = {**params, "OPTIONS": options}
        super().__init__(server, params)
        self._down_until = 0.0

    def _guard(self, call: Callable[[], Any], default: Any) -> Any:
        if time.monotonic() < self._down_until:
            if default is _MISSING:
                raise ValueError("The cache is unavailable.")
            return default
        try:
            return call()
        except _FAILURES as exc:
            self._down_until = time.monotonic() + self.RETRY_AFTER
            logger.warning("Cache unavailable, serving without it: %s", exc)
            if default is _MISSING:
                raise ValueError("The cache is unavailable.") from exc
            return default

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def add(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> bool:
        return self._guard(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guard(
            lambda: super(ResilientRedisCache, self).get(key, default, version), default
        )

    def set(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> None:
        self._guard(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None
        )

    def touch(self, key: Any, timeout: Any = None, version: Any = None) -> bool:
        return self._guard(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Any, version: Any = None) -> dict[str, Any]:
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        return self._guard(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version), _MISSING
        )

    def set_many(self, data: Any, timeout: Any = None, version: Any = None) -> list[Any]:
        return self._guard(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).clear(), False)

    def ping(self) -> bool:
        """Ask Redis directly (ignoring the open window): for the health check."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except _FAILURES:
            return False
