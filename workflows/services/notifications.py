"""Emails from staff-written templates, queued to django-q2 after the transaction commits.

Each email is an ``OutboundEmail`` row with a unique idempotency key before anything is sent,
so a retried task, a re-run reminder or a double click never sends the same email twice.
The row, not the queue, is the durable record: a task lost with its broker (Redis down when
the step was saved) or with its cluster (killed mid-send), and a send that failed, are all
picked up by ``sweep_unsent_emails``, which a schedule runs every minute
(``setup_workflows`` installs it). Failed sends wait longer each time (``next_attempt_at``)
and after ``Q_CLUSTER["max_attempts"]`` tries the email is marked failed for staff, who can
try it again from Reports → Outgoing emails. Sending claims the row with a row lock
(``SELECT … FOR UPDATE SKIP LOCKED``), so two clusters never send one email.
Emails carry references, names of adults, dates and places: never details of children.
"""

from __future__ import annotations

import datetime
import logging
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction
from django.utils import timezone

from config.links import reverse_absolute
from ops.queue import enqueue
from workflows.enums import Recipient, WorkflowSubject
from workflows.errors import ActionError
from workflows.models.engine import Case, EmailTemplate, OutboundEmail
from workflows.services.tokens import issue_portal_link
from workflows.signals import email_queued
from workflows.subjects import booking_of
from workflows.templating import render
from workflows.validators import single_line

logger = logging.getLogger(__name__)


def sessions_text(sessions: Any) -> str:
    """One line per session: when, how long, where and its status."""
    lines = []
    for session in sessions:
        local = timezone.localtime(session.start)
        where = f" at {session.location}" if session.location else ""
        lines.append(
            f"- {local:%A %d %B %Y, %H:%M} for {session.duration_minutes} minutes{where} "
            f"({session.get_status_display().split(' (')[0].lower()})"
        )
    return "\n".join(lines) or "(none scheduled yet)"


def _sessions_text(booking: Any) -> str:
    return sessions_text(booking.sessions.active().order_by("start"))


def _values(case: Case, booking: Any, *, comment: str = "") -> dict[str, str]:
    values = {
        "reference": booking.reference if booking else case.reference,
        "school": booking.school.name if booking else "",
        "supervisee": booking.supervisee_name if booking else "",
        "supervisor": booking.supervisor.title if booking else "",
        "service": booking.service.title if booking else "",
        "state": case.state.label,
        "comment": comment,
        "sessions": _sessions_text(booking) if booking else "",
        "review_date": "",
    }
    agreement = booking.agreements.first() if booking else None
    if agreement is not None:
        values["review_date"] = f"{agreement.review_date:%d %B %Y}"
    return values


def _recipient_address(kind: str, booking: Any) -> str:
    if kind == Recipient.REQUESTER:
        return booking.supervisee_email
    if kind == Recipient.SUPERVISOR:
        user = booking.supervisor.user
        return user.email if user and user.email else settings.SERVICE_INBOX_EMAIL
    if kind == Recipient.BOOKER:
        return booking.booker_email if booking else ""
    return settings.SERVICE_INBOX_EMAIL


def _link(kind: str, case: Case, booking: Any) -> str:
    """The supervisee's portal, or the admin page of the booking's own case.

    An agreement's emails link to its booking's case, which shows the agreement's text beside
    the button to countersign it, so nobody is sent to a separate ``…-A`` case.
    """
    if kind == Recipient.REQUESTER:
        return issue_portal_link(email=booking.supervisee_email)
    if kind == Recipient.BOOKER:
        return ""  # the booker is told, but the bookings are the supervisee's to see
    target = case
    if case.workflow.subject == WorkflowSubject.AGREEMENT and case.parent_id is not None:
        target = case.parent
    return reverse_absolute("workflows_admin:case", target.pk)


def queue_email(
    *,
    idempotency_key: str,
    template_key: str | None = None,
    template: EmailTemplate | None = None,
    recipient_kind: str,
    case: Case,
    booking: Any,
    comment: str = "",
    link: str | None = None,
    sessions: str | None = None,
    to: str | None = None,
) -> OutboundEmail | None:
    """Create the email row once and hand it to the task queue after commit.

    ``link`` fills {{ link }}; by default it is a fresh portal link for the supervisee and the
    case's admin page for everyone else. ``sessions`` replaces the booking's session list
    (a reminder names only its own session); ``to`` replaces the recipient kind's address.
    """
    if OutboundEmail.objects.filter(idempotency_key=idempotency_key).exists():
        return None
    if template is None:
        template = EmailTemplate.objects.filter(key=template_key).first()
        if template is None:
            logger.warning("Email template %s is missing; nothing sent.", template_key)
            return None
    address = to or _recipient_address(recipient_kind, booking)
    if not address:
        return None  # e.g. no separate booker on this booking
    values = _values(case, booking, comment=comment)
    values["link"] = link if link is not None else _link(recipient_kind, case, booking)
    if sessions is not None:
        values["sessions"] = sessions
    email = OutboundEmail.objects.create(
        idempotency_key=idempotency_key,
        case=case,
        template_key=template.key,
        recipient_kind=recipient_kind,
        to=address,
        # User text (a school's name) in a header: one line, whatever was typed or stored.
        subject=single_line(render(template.subject, values))[:255],
        body=render(template.body, values),
    )
    email_queued.send(sender=OutboundEmail, email=email, case=case, booking=booking)
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int) -> None:
    """Hand the email to the queue; if the broker is down it waits for the sweep instead."""
    enqueue("workflows.tasks.send_outbound_email", email_id, task_name=f"email-{email_id}")


def queue_notification(*, case: Case, event: Any, template_id: int, recipients: list[str]) -> None:
    template = EmailTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise ActionError("The email template for this step has been deleted.")
    booking = booking_of(case)
    comment = event.comment if event is not None else ""
    for kind in recipients:
        queue_email(
            idempotency_key=f"event:{event.pk}:{template.key}:{kind}",
            template=template,
            recipient_kind=kind,
            case=case,
            booking=booking,
            comment=comment,
        )


def _mime_part(attachment: dict[str, Any]) -> Any:
    """A text attachment with its content-type parameters kept (``text/calendar; method=...``
    is what makes mail clients offer to add an invite)."""
    subtype = attachment["content_type"].partition("/")[2]
    part = MIMEText(attachment["content"], subtype or "plain", "utf-8")
    for key, value in (attachment.get("params") or {}).items():
        part.set_param(key, value)
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part


def max_send_attempts() -> int:
    """How many times an email is tried before it is marked failed: the queue's own limit."""
    return int(settings.Q_CLUSTER.get("max_attempts") or 5)


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed try: doubling from the base, at most an hour."""
    base = settings.EMAIL_RETRY_BASE_SECONDS
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _reason(exc: Exception, *, prefix: str) -> str:
    return f"{prefix} {type(exc).__name__}: {single_line(str(exc))}"[:255]


def send_outbound_email(email_id: int) -> bool:
    """Send one queued email unless it was sent already or has failed for good.

    The row is claimed with a lock held while sending (``SKIP LOCKED``: if another worker
    is sending it right now, this call does nothing), so two workers cannot both send it. If
    this process dies mid-send the database drops the lock and rolls the try back, and the
    sweep sends it later. A transport error is recorded with the time of the next try
    (``retry_delay``) and re-raised, so the task shows as failed in django-q2; the last allowed
    attempt, or an error no retry can fix (``BadHeaderError``), marks the email failed with
    the reason instead, for staff to see in the admin. Returns whether it was sent now.

    At the mail server the guarantee is at-least-once: a server that accepted the message
    just before this process was killed will be handed it again by the sweep.
    """
    failure: Exception | None = None
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        )
        if email is None or email.sent_at is not None or email.failed_at is not None:
            return False
        email.attempts += 1
        try:
            message = EmailMessage(
                subject=email.subject,
                body=email.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.to],
            )
            for attachment in email.attachments or []:
                message.attach(_mime_part(attachment))
            message.send()
        except BadHeaderError as exc:
            email.failed_at = timezone.now()
            email.last_error = _reason(exc, prefix="Can never be sent:")
        except Exception as exc:  # any transport error: record it, then let the queue retry
            if email.attempts >= max_send_attempts():
                email.failed_at = timezone.now()
                email.last_error = _reason(exc, prefix=f"Gave up after {email.attempts} tries:")
            else:
                email.last_error = _reason(exc, prefix="Will retry:")
                email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
                failure = exc
        else:
            email.sent_at = timezone.now()
            email.save(update_fields=["sent_at", "attempts"])
            return True
        email.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])
    if email.failed_at is not None:
        logger.error("Email %s failed for good: %s", email.pk, email.last_error)
        return False
    raise failure


def sweep_unsent_emails(*, limit: int = 200) -> int:
    """Send the emails that no task is going to send: the sweep behind every retry.

    Picks pending rows whose back-off has passed, and rows never tried that are older than
    ``EMAIL_SWEEP_GRACE_SECONDS`` (their task was lost: broker down at enqueue time, or the
    cluster killed). Each is sent through ``send_outbound_email``, whose row lock makes this
    safe beside the normal tasks and beside a sweep in another cluster. Returns how many were
    sent now.
    """
    from django.db.models import Q

    now = timezone.now()
    grace = now - datetime.timedelta(seconds=settings.EMAIL_SWEEP_GRACE_SECONDS)
    due = (
        OutboundEmail.objects.pending()
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at=None, created_at__lte=grace))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for email_id in list(due):
        try:
            sent += send_outbound_email(email_id)
        except Exception:  # recorded on the row with its next try; go on with the others
            logger.warning("Email %s failed again; next try after its back-off.", email_id)
    return sent


def retry_failed_email(*, email: OutboundEmail) -> None:
    """Give a failed email a fresh set of tries (staff's "Try again"), queued after commit."""
    with transaction.atomic():
        updated = OutboundEmail.objects.filter(
            pk=email.pk, sent_at=None, failed_at__isnull=False
        ).update(failed_at=None, attempts=0, last_error="", next_attempt_at=None)
        if updated:
            transaction.on_commit(lambda: _enqueue(email.pk))
