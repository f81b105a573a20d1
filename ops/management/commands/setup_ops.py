"""Install the ops schedules (the cluster heartbeat). Idempotent; `make seed` runs it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_q.models import Schedule

SCHEDULES = [("Cluster heartbeat", "ops.tasks.heartbeat", Schedule.MINUTES, 1)]


class Command(BaseCommand):
    help = "Install the cluster heartbeat schedule (read by /healthz)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, func, kind, minutes in SCHEDULES:
            Schedule.objects.update_or_create(
                name=name, defaults={"func": func, "schedule_type": kind, "minutes": minutes}
            )
        self.stdout.write(f"{len(SCHEDULES)} ops schedule(s) installed.")
