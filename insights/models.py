"""Monthly tallies of the topics and signposting ticked on submitted session records.

Record content is encrypted at rest (a signposting to counselling says something about a
person), so it cannot be counted by the database. Instead, when a record is submitted its ticked
labels are added to these tallies: one row per (month of the session, service, kind, label) with
a count. A tally row holds no link to a record, a session, a school or a person; only
``TalliedRecord`` remembers *which* records were counted, so a record is never counted twice.

Tallies outlive the retention clean-up on purpose: they are anonymous aggregates.
"""

from __future__ import annotations

from django.db import models


class TallyKind(models.TextChoices):
    TOPIC = "topic", "Topic discussed"
    SIGNPOSTING = "signposting", "Signposting given"


class TopicTally(models.Model):
    month = models.DateField(help_text="The first day of the month the session was held in.")
    service = models.ForeignKey("cms.ServicePage", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=TallyKind.choices)
    label = models.CharField(max_length=255, help_text="The label as it was ticked.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["month", "kind", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "service", "kind", "label"], name="one_tally_per_month_label"
            )
        ]
        # Only the custom permission: tallies are written by code, never edited by people.
        default_permissions = ()
        permissions = [("view_insights", "Can view service insights")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind} {self.label}: {self.count}"


class TalliedRecord(models.Model):
    """Marks a submitted record as counted into the tallies (no content, no counts)."""

    record = models.OneToOneField(
        "records.SessionRecord", on_delete=models.PROTECT, related_name="+", primary_key=True
    )

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"Tallied record {self.record_id}"
