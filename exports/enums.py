"""Choices for exports."""

from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being written"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Removed (expired)"


class ExportAudit(models.TextChoices):
    """Audit log codes (dotted, like ``workflows.case.transitioned``)."""

    EXPORTED = "exports.export.created", "Export written"
    QUEUED = "exports.export.queued", "Large export queued"
    DOWNLOADED = "exports.file.downloaded", "Export file downloaded"
