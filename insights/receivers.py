"""Counts a record into the monthly tallies when it is submitted (connected in ``ready``)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from records.models import SessionRecord


@receiver(post_save, sender=SessionRecord, dispatch_uid="insights.tally_submitted_record")
def tally_submitted_record(sender: Any, instance: SessionRecord, **kwargs: Any) -> None:
    """Runs inside the submitting transaction, so a failed submission counts nothing."""
    if instance.submitted_at is None:
        return
    from insights.services import tally_record

    tally_record(record=instance)
