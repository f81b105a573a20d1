"""django-q2 tasks: fetch by id and delegate to the service; both are safe to re-run."""

from __future__ import annotations

from exports.services import delete_expired_exports as delete
from exports.services import run_export_job as run


def run_export_job(job_id: int) -> str:
    job = run(job_id=job_id)
    return job.status if job is not None else "missing"


def delete_expired_exports() -> int:
    return delete()
