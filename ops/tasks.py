"""django-q2 tasks of the ops app."""

from __future__ import annotations

import socket

from django.conf import settings
from django.utils import timezone


def heartbeat() -> str:
    """Every minute: record that a cluster on this host is alive (read by ``/healthz``)."""
    from ops.models import ClusterHeartbeat

    name = str(settings.Q_CLUSTER.get("name", "default"))
    host = socket.gethostname()[:255]
    ClusterHeartbeat.objects.update_or_create(
        cluster=name, host=host, defaults={"last_seen": timezone.now()}
    )
    return f"{name}@{host}"


def noop(counter: str) -> int:
    """For the benchmark's tasks-per-second run: the queue's own cost and one counter bump
    in the cache (django-q2 prunes saved results, so they cannot be counted)."""
    from django.core.cache import cache

    cache.add(counter, 0, 3600)
    return cache.incr(counter)
