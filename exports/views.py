"""Admin → Exports: the form, a background job's progress, its download, the audit download.

Views validate, call one service and render or redirect. Jobs are looked up only among the
signed-in user's own (``jobs_of``), so another person's job id is a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from exports.enums import JobStatus
from exports.forms import AuditLogFilterForm, ExportForm
from exports.permissions import may_export
from exports.services import export_csv, jobs_of, open_download, request_export
from exports.workbook import XLSX_CONTENT_TYPE, xlsx_response

RECENT_JOBS = 10


def _require_exporter(request: HttpRequest) -> None:
    if not may_export(request.user):
        raise PermissionDenied


def index(request: HttpRequest) -> HttpResponse:
    _require_exporter(request)
    initial = {k: v for k, v in request.GET.items() if k in ("export", "supervisor", "service")}
    form = ExportForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        result = request_export(
            user=request.user,
            identifier=form.cleaned_data["export"],
            params=form.params(),
            request=request,
        )
        if result.job is not None:
            return redirect("exports_admin:job", job_id=result.job.pk)
        return xlsx_response(result.content or b"", filename=result.filename)
    return TemplateResponse(
        request,
        "exports/index.html",
        {
            "form": form,
            "exporters": form.exporters,
            "jobs": jobs_of(request.user)[:RECENT_JOBS],
        },
        status=400 if request.method == "POST" else 200,
    )


def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    _require_exporter(request)
    job = get_object_or_404(jobs_of(request.user), pk=job_id)
    working = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    return TemplateResponse(request, "exports/job.html", {"job": job, "working": working})


def download(request: HttpRequest, job_id: int) -> HttpResponse:
    _require_exporter(request)
    job = get_object_or_404(jobs_of(request.user), pk=job_id)
    try:
        handle = open_download(job=job, request=request)
    except FileNotFoundError as exc:
        raise Http404(str(exc)) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=job.download_name, content_type=XLSX_CONTENT_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response


def audit_log(request: HttpRequest) -> HttpResponse:
    """The Audit log listing's "Download Excel" button: the same filters, through this module."""
    form = AuditLogFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse("Those filters are not valid.", status=400, content_type="text/plain")
    if request.GET.get("format") == "csv":
        lines, filename = export_csv(
            user=request.user, identifier="audit-log", params=form.params(), request=request
        )
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    result = request_export(
        user=request.user, identifier="audit-log", params=form.params(), request=request
    )
    if result.job is not None:
        return redirect(reverse("exports_admin:job", args=[result.job.pk]))
    return xlsx_response(result.content or b"", filename=result.filename)
