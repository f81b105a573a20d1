"""Hourly counters in the shared cache (Redis in production) for sign-in side doors.

The public forms have their own limit in ``workflows.services.ratelimit``; both key on
``audit.services.client_ip``, so behind trusted proxies they count the real client.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

WINDOW_SECONDS = 3600


def hit(*, scope: str, part: str, window: int = WINDOW_SECONDS) -> int:
    """Count one request for ``part`` (an address or an email) and return the count so far.

    The key holds a hash, so the cache never stores an address or email in clear.
    """
    digest = hashlib.sha256(part.encode()).hexdigest()[:32]
    key = f"rl:{scope}:{digest}"
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def over_limit(*, scope: str, parts: list[str], limit: int) -> bool:
    """Count the request against every part; True once any of them has passed ``limit``."""
    counts = [hit(scope=scope, part=part) for part in parts]
    return any(count > limit for count in counts)
