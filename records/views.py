"""The supervisee's pages for records, behind their emailed link (no account).

Every record is looked up through the link's email address (``for_supervisee``), so a valid
link for one person never reaches another person's record: a guessed id is simply not found.
An unknown, tampered or expired link shows nothing and changes nothing. A link emailed for
one record opens that record and its PDF only, never the list, the portal or the data
downloads; its page offers a way to ask for a portal link.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from audit.services import log_event
from records.enums import RecordAudit
from records.forms import AcknowledgeForm
from records.models import SessionRecord, SessionRecordQuerySet
from records.pdf import pdf_response
from records.services import RecordError, acknowledge_record, log_access
from records.subject_access import subject_data_json, subject_data_pdf
from workflows.decorators import invalid_link, supervisee_link_required
from workflows.enums import TokenPurpose
from workflows.models import AccessToken


def _records_for(access: AccessToken) -> SessionRecordQuerySet:
    return SessionRecord.objects.for_supervisee(access.email).for_listing()


@supervisee_link_required
def record_list(request: HttpRequest, token: str, *, access: AccessToken) -> HttpResponse:
    records = _records_for(access).order_by("-session__start", "-pk")
    return render(request, "records/portal/record_list.html", {"token": token, "records": records})


@supervisee_link_required(record_link=True, methods=("GET", "POST"))
def record_detail(
    request: HttpRequest, token: str, record_id: int, *, access: AccessToken
) -> HttpResponse:
    record = get_object_or_404(_records_for(access), pk=record_id)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            acknowledge_record(record=record, link=access, request=request)
        except RecordError as exc:
            error = str(exc)
        else:
            return redirect("records:detail", token=token, record_id=record.pk)
    has_content = record.content_removed_at is None
    log_access(
        record=record,
        action=RecordAudit.VIEWED,
        request=request,
        via="portal",
        content=has_content,
    )
    return render(
        request,
        "records/portal/record_detail.html",
        {
            "token": token,
            "record": record,
            "booking": record.session.booking,
            "form": form,
            "error": error,
            "has_content": has_content,
            "portal_link": access.purpose == TokenPurpose.PORTAL,
            "awaiting_acknowledgement": record.case is not None
            and record.case.state.key == "shared",
        },
        status=400 if request.method == "POST" else 200,
    )


@supervisee_link_required(record_link=True)
def record_pdf(
    request: HttpRequest, token: str, record_id: int, *, access: AccessToken
) -> HttpResponse:
    record = get_object_or_404(
        _records_for(access).filter(content_removed_at__isnull=True), pk=record_id
    )
    log_access(record=record, action=RecordAudit.DOWNLOADED, request=request, via="portal")
    return pdf_response(record)


@supervisee_link_required
def my_data(request: HttpRequest, token: str, fmt: str, *, access: AccessToken) -> HttpResponse:
    """Everything held about the link's owner, as JSON or PDF; each download is audited."""
    if fmt not in ("json", "pdf"):
        return invalid_link(request)
    if fmt == "json":
        body, content_type = subject_data_json(access.email), "application/json"
    else:
        body, content_type = subject_data_pdf(access.email), "application/pdf"
    log_event(
        action="records.subject_access.downloaded",
        request=request,
        actor_label="supervisee (emailed link)",
        data={"format": fmt},
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="my-supervision-data.{fmt}"'
    return response
