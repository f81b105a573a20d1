"""Admin screens for records: the listing, a record, writing it, addenda and the PDF.

Who sees what is decided by ``SessionRecord.objects`` (``visible_to``, ``content_visible_to``,
``writable_by``, ``amendable_by``); a record outside the viewer's scope is a 404, so guessing
ids reveals nothing. Every view of a record and every download is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from records.detail_review import PartFinding, highlight
from records.enums import RecordAudit
from records.forms import AddendumForm, RecordForm, action_formset, content_from
from records.models import RecordFormSettings, SessionRecord
from records.pdf import pdf_response
from records.services import (
    RecordError,
    UnconfirmedDetails,
    add_addendum,
    log_access,
    request_record,
    save_draft,
    submit_record,
)
from workflows.enums import SessionStatus
from workflows.models import Session

PAGE_SIZE = 50
FILTERS = {
    "all": "All",
    "to_write": "Still to submit",
    "overdue": "Overdue",
}


def finding_parts(findings: list[PartFinding]) -> list[dict[str, Any]]:
    """Findings grouped by the text they are in, each text rendered with them highlighted."""
    parts: dict[str, dict[str, Any]] = {}
    for item in findings:
        group = parts.setdefault(
            item.part.name, {"label": item.part.label, "part": item.part, "findings": []}
        )
        group["findings"].append(item)
    for group in parts.values():
        group["html"] = highlight(group["part"].text, group["findings"])
    return list(parts.values())


@never_cache
def record_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "all")
    if show not in FILTERS:
        show = "all"
    records = SessionRecord.objects.visible_to(request.user).for_listing()
    if show == "overdue":
        records = records.overdue().order_by("due_date", "pk")
    elif show == "to_write":
        records = records.filter(
            submitted_at__isnull=True, content_removed_at__isnull=True
        ).order_by("due_date", "pk")
    else:
        records = records.order_by("-session__start", "-pk")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    without_record = (
        Session.objects.filter(
            supervisor__user=request.user, status=SessionStatus.HELD, record__isnull=True
        )
        .select_related("booking__school")
        .order_by("start")
    )
    return TemplateResponse(
        request,
        "records/admin/record_list.html",
        {
            "page": page,
            "records": page.object_list,
            "show": show,
            "show_label": FILTERS[show],
            "filters": FILTERS,
            "sessions_without_record": without_record,
        },
    )


@never_cache
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(
        SessionRecord.objects.visible_to(request.user).for_listing(), pk=record_id
    )
    can_read = SessionRecord.objects.content_visible_to(request.user).filter(pk=record.pk).exists()
    own = record.session.supervisor.user_id == request.user.pk
    has_content = record.content_removed_at is None
    log_access(
        record=record, action=RecordAudit.VIEWED, request=request, via="admin", content=can_read
    )
    return TemplateResponse(
        request,
        "records/admin/record_detail.html",
        {
            "record": record,
            "booking": record.session.booking,
            "show_content": can_read,
            "can_edit": own and record.submitted_at is None and has_content,
            "can_amend": own and record.submitted_at is not None and has_content,
            "can_download": can_read and record.submitted_at is not None and has_content,
            "events": record.case.events.all() if record.case else [],
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, record_id: int) -> HttpResponse:
    """Write the record: save a draft, or check and submit it (no view edits a submitted one)."""
    record = get_object_or_404(
        SessionRecord.objects.writable_by(request.user).for_listing(), pk=record_id
    )
    posted = request.method == "POST"
    submitting = posted and request.POST.get("intent") == "submit"
    data = request.POST if posted else None
    form = RecordForm(data, record=record, submitting=submitting)
    formset = action_formset(data, record)
    confirmed = set(request.POST.getlist("confirm")) if posted else set()
    findings: list[PartFinding] = []
    error = ""
    draft_kept = False
    if posted and form.is_valid() and formset.is_valid():
        content = content_from(form, formset)
        try:
            if submitting:
                submit_record(
                    record=record,
                    content=content,
                    confirmed=confirmed,
                    actor=request.user,
                    request=request,
                )
                messages.success(
                    request, f"Record {record.reference} submitted and shared with the supervisee."
                )
                return redirect("records_admin:detail", record_id=record.pk)
            save_draft(record=record, content=content, actor=request.user, request=request)
            messages.success(request, "Draft saved.")
            return redirect("records_admin:edit", record_id=record.pk)
        except UnconfirmedDetails as exc:
            findings, error = exc.findings, str(exc)
            draft_kept = _keep_draft(record, content, request)
        except RecordError as exc:
            error = str(exc)
    return TemplateResponse(
        request,
        "records/admin/record_edit.html",
        {
            "record": record,
            "booking": record.session.booking,
            "form": form,
            "formset": formset,
            "guidance": RecordFormSettings.load().guidance,
            "error": error,
            "findings": findings,
            "finding_parts": finding_parts(findings),
            "confirmed": confirmed,
            "draft_kept": draft_kept,
        },
        status=400 if posted else 200,
    )


def _keep_draft(record: SessionRecord, content: Any, request: HttpRequest) -> bool:
    """Save the draft while the submission waits for the detail review, so no work is lost."""
    try:
        save_draft(record=record, content=content, actor=request.user, request=request)
    except RecordError:
        return False
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def record_addendum(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(
        SessionRecord.objects.amendable_by(request.user).for_listing(), pk=record_id
    )
    posted = request.method == "POST"
    form = AddendumForm(request.POST if posted else None)
    confirmed = set(request.POST.getlist("confirm")) if posted else set()
    findings: list[PartFinding] = []
    error = ""
    if posted and form.is_valid():
        try:
            add_addendum(
                record=record,
                text=form.cleaned_data["text"],
                confirmed=confirmed,
                actor=request.user,
                request=request,
            )
        except UnconfirmedDetails as exc:
            findings, error = exc.findings, str(exc)
        except RecordError as exc:
            error = str(exc)
        else:
            messages.success(request, "Addendum added; the supervisee has been told.")
            return redirect("records_admin:detail", record_id=record.pk)
    return TemplateResponse(
        request,
        "records/admin/addendum_form.html",
        {
            "record": record,
            "form": form,
            "error": error,
            "findings": findings,
            "finding_parts": finding_parts(findings),
            "confirmed": confirmed,
        },
        status=400 if posted else 200,
    )


@never_cache
def record_pdf(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(
        SessionRecord.objects.content_visible_to(request.user)
        .filter(submitted_at__isnull=False, content_removed_at__isnull=True)
        .for_listing(),
        pk=record_id,
    )
    log_access(record=record, action=RecordAudit.DOWNLOADED, request=request, via="admin")
    return pdf_response(record)


@require_POST
def record_start(request: HttpRequest, session_id: int) -> HttpResponse:
    """Open the record of one of the supervisor's own held sessions, if it has none yet."""
    session = get_object_or_404(
        Session.objects.filter(supervisor__user=request.user), pk=session_id
    )
    try:
        record = request_record(session=session, actor=request.user)
    except RecordError as exc:
        messages.error(request, str(exc))
        return redirect("records_admin:list")
    messages.success(request, f"Record {record.reference} opened.")
    return redirect("records_admin:edit", record_id=record.pk)
