"""Export jobs (large exports built in the background) and the invoicing setting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from exports.enums import JobStatus


class ExportJob(models.Model):
    """One export too large to build during the request, built by a django-q2 task.

    The finished file lives in private storage (``EXPORT_FILES_ROOT``), is downloadable only by
    the person who asked, and is deleted ``EXPORT_FILE_HOURS`` after it was made.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    exporter = models.CharField(max_length=50, help_text="The exporter's identifier.")
    params = models.JSONField(default=dict, help_text="The filters, as the form cleaned them.")
    filters_label = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True, help_text="Name in private storage.")
    download_name = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("export_all", "Can export (every export, every supervisor)")]

    def __str__(self) -> str:
        return f"{self.exporter} export #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))

    @property
    def downloadable(self) -> bool:
        return (
            self.status == JobStatus.DONE
            and bool(self.file_name)
            and (self.expires_at is None or self.expires_at > timezone.now())
        )


@register_setting(icon="download")
class InvoiceSettings(BaseSiteSetting):
    """Settings → Invoicing: what the invoice export charges for."""

    cancellation_notice_hours = models.PositiveIntegerField(
        "cancellation notice (hours)",
        null=True,
        blank=True,
        help_text=(
            "A session cancelled less than this many hours before it starts is charged as if "
            "held. Leave empty to charge no cancelled session."
        ),
    )

    panels = [FieldPanel("cancellation_notice_hours")]

    class Meta:
        verbose_name = "Invoicing"
