"""Choices used by session records."""

from django.db import models


class ActionOwner(models.TextChoices):
    """Who carries out an action agreed in supervision. Roles, never names."""

    SUPERVISEE = "supervisee", "The supervisee"
    SUPERVISOR = "supervisor", "The supervisor"
    SCHOOL = "school", "Someone else at the school"
    OTHER_AGENCY = "other_agency", "Another agency"


class RecordAudit(models.TextChoices):
    """Audit log codes for records (dotted, like ``workflows.case.transitioned``)."""

    REQUESTED = "records.record.requested", "Record requested"
    DRAFT_SAVED = "records.record.draft_saved", "Draft saved"
    SUBMITTED = "records.record.submitted", "Record submitted"
    SHARED = "records.record.shared", "Record shared with the supervisee"
    # Stored codes are history and are never rewritten, so two keep the older word: this one is
    # the detail review's confirmation, CONTENT_REMOVED is retention (docs/architecture.md).
    FINDING_CONFIRMED = "records.anonymisation.confirmed", "Finding confirmed not a child's detail"
    VIEWED = "records.record.viewed", "Record viewed"
    DOWNLOADED = "records.record.downloaded", "Record downloaded as PDF"
    ACKNOWLEDGED = "records.record.acknowledged", "Receipt acknowledged"
    ADDENDUM_ADDED = "records.addendum.added", "Addendum added"
    REMINDED = "records.record.overdue_reminder", "Overdue reminder sent"
    CONTENT_REMOVED = "records.record.anonymised", "Content removed after the retention period"
