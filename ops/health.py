"""What ``/healthz`` checks: database, cache, broker and the last cluster heartbeat.

Each check is cheap and bounded (short socket timeouts) and returns a small dict. Only a lost
database makes the site unable to serve, so only that makes the whole answer ``down`` (HTTP
503, take this node out of the pool); a lost cache or broker, or no recent heartbeat, is
``degraded`` (HTTP 200: the site serves, slower, and tasks wait in the database).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone


def _timed(check: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # any failure is the answer, never a 500 from the health check
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def check_cache() -> dict[str, Any]:
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    ping = getattr(cache, "ping", None)
    if ping is not None:
        return {"ok": ping(), "backend": backend}
    cache.set("ops:healthz", 1, 10)
    return {"ok": cache.get("ops:healthz") == 1, "backend": backend}


def check_broker() -> dict[str, Any]:
    from django_q.brokers import get_broker

    url = settings.Q_CLUSTER.get("redis")
    if url:
        import redis

        # Its own short-timeout client: the broker's would wait the OS's connect timeout.
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1.0)
        try:
            queued = client.llen(f"django_q:{settings.Q_CLUSTER['name']}:q")
        finally:
            client.close()
        return {"ok": True, "kind": "redis", "queued": queued}
    return {"ok": True, "kind": "orm", "queued": get_broker().queue_size()}


def check_clusters() -> dict[str, Any]:
    from ops.models import ClusterHeartbeat

    last = ClusterHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True)
    last_seen = last.first()
    max_age = settings.HEALTH_HEARTBEAT_MAX_AGE
    if last_seen is None:
        return {"ok": False, "heartbeat_age_seconds": None, "max_age_seconds": max_age}
    age = (timezone.now() - last_seen).total_seconds()
    return {
        "ok": age <= max_age,
        "heartbeat_age_seconds": round(age, 1),
        "max_age_seconds": max_age,
    }


def health() -> tuple[str, dict[str, Any]]:
    """``(status, checks)``: status is ``ok``, ``degraded`` or ``down``."""
    checks = {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "broker": _timed(check_broker),
    }
    if checks["database"]["ok"]:
        checks["clusters"] = _timed(check_clusters)
    if not checks["database"]["ok"]:
        return "down", checks
    if all(check["ok"] for check in checks.values()):
        return "ok", checks
    return "degraded", checks
