"""A per-address limit on public submissions, counted in the shared cache (Redis in production)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache

from audit.services import client_ip

WINDOW_SECONDS = 3600


class RateLimited(Exception):
    pass


def _hit(key: str) -> int:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def check_submission_rate(request: Any, *, email: str, scope: str = "booking") -> None:
    """Count this submission against its client address and email; raise once over the limit.

    The address is ``audit.services.client_ip``'s, the one sign-in lockout and the audit log
    use: behind ``TRUSTED_PROXY_COUNT`` proxies it is the real client's, not the proxy's that
    every visitor shares (which would close the forms for everyone after five requests).
    """
    limit = settings.PUBLIC_FORM_LIMIT_PER_HOUR
    ip = client_ip(request) or "unknown"
    for part in (f"ip:{ip}", f"email:{email.lower()}"):
        digest = hashlib.sha256(part.encode()).hexdigest()[:32]
        if _hit(f"rl:{scope}:{digest}") > limit:
            raise RateLimited(
                "You have sent several requests in a short time. Please wait an hour and try "
                "again, or email the team."
            )
