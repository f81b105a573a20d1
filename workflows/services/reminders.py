"""The one reminder loop: every "remind once when X is due" job in the service runs through it.

A ``Reminder`` names the rows that may be due (``due``), what to queue for one row (``send``,
returning False when on closer look it is not due yet) and the timestamp column that marks it
reminded. ``send_reminders`` locks each row in its own transaction, re-checks the stamp, queues
the emails and stamps the row, so a re-run, an overlapping worker or a crash half-way never sends
a reminder twice (the emails' idempotency keys back this up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone


@dataclass(frozen=True)
class Reminder:
    model: type[models.Model]
    #: The nullable DateTimeField that records the reminder was sent.
    stamp_field: str
    #: Rows that may be due and are not yet stamped.
    due: Callable[[], models.QuerySet[Any]]
    #: Queue the emails for one locked row; False if it is not due after all (left unstamped).
    send: Callable[[Any], bool]


def send_reminders(reminder: Reminder) -> int:
    """Run one reminder over its due rows; returns how many rows were reminded now."""
    count = 0
    unstamped = {f"{reminder.stamp_field}__isnull": True}
    for pk in reminder.due().order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            row = (
                reminder.model._default_manager.select_for_update(of=("self",))
                .filter(pk=pk, **unstamped)
                .first()
            )
            if row is None or not reminder.send(row):
                continue
            reminder.model._default_manager.filter(pk=pk).update(
                **{reminder.stamp_field: timezone.now()}
            )
        count += 1
    return count
