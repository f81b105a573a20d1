"""Running exports: at once when small, as a django-q2 job when large; audited either way.

Contract:
- ``request_export`` checks the user may run the export, counts its rows and either returns
  the workbook (at most ``EXPORT_ASYNC_ROWS`` rows) or queues an :class:`ExportJob` and returns
  it. The job is queued on commit, by id.
- ``run_export_job`` (the task) is idempotent: only a queued job is run; it re-checks the
  requester's permission, writes the file to private storage under an unguessable name and
  records progress as it goes.
- Every finished export writes one audit line: who, which export, the filters and the rows.
- ``delete_expired_exports`` (hourly schedule) deletes files past ``EXPORT_FILE_HOURS``.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone

from audit.services import log_event
from exports.enums import ExportAudit, JobStatus
from exports.exporters import EXPORTERS, BaseExporter, ExportParams
from exports.models import ExportJob
from exports.workbook import ExcelWorkbook, csv_lines, describe_filters, export_filename
from ops.queue import enqueue

logger = logging.getLogger(__name__)


@dataclass
class ExportResult:
    """Either the finished file (``content``) or the background job that will make it."""

    content: bytes | None = None
    filename: str = ""
    rows: int = 0
    job: ExportJob | None = None


def export_storage() -> FileSystemStorage:
    """Private storage for finished large exports: never under MEDIA_ROOT, never served."""
    return FileSystemStorage(location=settings.EXPORT_FILES_ROOT)


def build_exporter(*, user: Any, identifier: str, params: ExportParams) -> BaseExporter:
    """The exporter, if ``user`` may run it; otherwise ``PermissionDenied``."""
    exporter_class = EXPORTERS.get(identifier)
    if exporter_class is None or not exporter_class.allowed_for(user):
        raise PermissionDenied("You may not run that export.")
    return exporter_class(user=user, params=params)


def _audit(*, exporter: BaseExporter, user: Any, rows: int, mode: str, request: Any = None) -> None:
    log_event(
        action=ExportAudit.EXPORTED,
        actor=user,
        request=request,
        target_label=exporter.verbose_name,
        data={
            "exporter": exporter.identifier,
            "filters": exporter.params.to_json(),
            "rows": rows,
            "mode": mode,
        },
    )


def export_now(
    *, user: Any, identifier: str, params: ExportParams, request: Any = None
) -> ExportResult:
    """Write the whole workbook during the request and audit it."""
    exporter = build_exporter(user=user, identifier=identifier, params=params)
    workbook = ExcelWorkbook()
    rows = exporter.write(workbook)
    content = workbook.to_bytes()
    _audit(exporter=exporter, user=user, rows=rows, mode="download", request=request)
    return ExportResult(content=content, filename=export_filename(identifier), rows=rows)


def export_csv(
    *, user: Any, identifier: str, params: ExportParams, request: Any = None
) -> tuple[Iterator[str], str]:
    """The export's main sheet as streamed CSV lines (audited now, with the row count)."""
    exporter = build_exporter(user=user, identifier=identifier, params=params)
    rows = exporter.count()
    spec = next(iter(exporter.sheets()))
    _audit(exporter=exporter, user=user, rows=rows, mode="csv", request=request)
    return csv_lines(spec.columns, spec.rows), export_filename(identifier, ext="csv")


def request_export(
    *, user: Any, identifier: str, params: ExportParams, request: Any = None
) -> ExportResult:
    """Small exports come back at once; above ``EXPORT_ASYNC_ROWS`` rows a job is queued."""
    exporter = build_exporter(user=user, identifier=identifier, params=params)
    total = exporter.count()
    if total <= settings.EXPORT_ASYNC_ROWS:
        return export_now(user=user, identifier=identifier, params=params, request=request)
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=user,
            exporter=identifier,
            params=params.to_json(),
            filters_label=describe_filters(exporter.filter_labels())[:500],
            rows_total=total,
        )
        log_event(
            action=ExportAudit.QUEUED,
            actor=user,
            request=request,
            target=job,
            data={"exporter": identifier, "filters": params.to_json(), "rows": total},
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return ExportResult(job=job, rows=total)


def _enqueue(job_id: int) -> None:
    """Queue the job; with the broker down it waits for ``requeue_stalled_jobs`` instead."""
    enqueue("exports.tasks.run_export_job", job_id, task_name=f"export-{job_id}")


def run_export_job(*, job_id: int) -> ExportJob | None:
    """Build a queued job's file. Safe to run twice: a job that is not queued is left alone."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return job
        job.status = JobStatus.RUNNING
        job.save(update_fields=["status"])
    storage = export_storage()
    name = f"{secrets.token_hex(16)}.xlsx"
    try:
        exporter = build_exporter(
            user=job.requested_by,
            identifier=job.exporter,
            params=ExportParams.from_json(job.params),
        )
        workbook = ExcelWorkbook()

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job_id).update(rows_done=done)

        rows = exporter.write(workbook, progress=progress)
        _ensure_folder(storage)
        workbook.save(storage.path(name))
    except Exception as exc:
        logger.exception("Export job %s failed", job_id)
        if storage.exists(name):
            storage.delete(name)
        message = (
            str(exc) if isinstance(exc, PermissionDenied) else "The export could not be written."
        )
        ExportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error=message[:500], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    now = timezone.now()
    with transaction.atomic():
        ExportJob.objects.filter(pk=job_id).update(
            status=JobStatus.DONE,
            rows_done=rows,
            file_name=name,
            download_name=export_filename(job.exporter),
            finished_at=now,
            expires_at=now + datetime.timedelta(hours=settings.EXPORT_FILE_HOURS),
        )
        _audit(exporter=exporter, user=job.requested_by, rows=rows, mode="background")
    job.refresh_from_db()
    return job


def _ensure_folder(storage: FileSystemStorage) -> None:
    Path(storage.location).mkdir(parents=True, exist_ok=True)


def jobs_of(user: Any) -> Any:
    """The only jobs a user may see or download: their own."""
    if user is None or not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user)


def open_download(*, job: ExportJob, request: Any = None) -> Any:
    """The finished file, opened for reading, and one audit line for the download."""
    if not job.downloadable:
        raise FileNotFoundError("This export is not ready, or it has been removed.")
    handle = export_storage().open(job.file_name, "rb")
    log_event(
        action=ExportAudit.DOWNLOADED,
        request=request,
        target=job,
        data={"exporter": job.exporter, "rows": job.rows_done},
    )
    return handle


def delete_expired_exports(*, now: datetime.datetime | None = None) -> int:
    """Delete files past their time and mark their jobs expired. Returns files removed."""
    now = now or timezone.now()
    storage = export_storage()
    removed = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).exclude(file_name=""):
        if storage.exists(job.file_name):
            storage.delete(job.file_name)
            removed += 1
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.EXPIRED, file_name="")
    return removed
