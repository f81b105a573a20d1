from __future__ import annotations

from django.db import models
from django.utils import timezone


class ClusterHeartbeat(models.Model):
    """When a task cluster last ran the heartbeat schedule (``ops.tasks.heartbeat``).

    Kept in the database, not in Redis, so ``/healthz`` can say how long ago any cluster was
    alive even while Redis is down. One row per cluster name and host.
    """

    cluster = models.CharField(max_length=100)
    host = models.CharField(max_length=255)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "host"], name="ops_heartbeat_one_per_host")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} on {self.host}"
