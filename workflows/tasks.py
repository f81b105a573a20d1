"""django-q2 tasks. Each fetches by id and delegates to a service; each is safe to re-run.

Every entry point is a ``system_task``: steps it takes run as the system, which a web request
never can (``workflows.services.engine``).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from workflows.enums import Recipient, SessionStatus
from workflows.models.domain import Agreement, Session
from workflows.models.engine import Case
from workflows.services.engine import system_task
from workflows.services.notifications import queue_email, sessions_text
from workflows.services.notifications import send_outbound_email as send_email
from workflows.services.notifications import sweep_unsent_emails as sweep_emails
from workflows.services.reminders import Reminder, send_reminders
from workflows.services.tokens import purge_expired_links as purge_links
from workflows.subjects import booking_case, booking_of
from workflows.workdays import working_days_between

#: How long before an agreement's review date both sides are reminded.
REVIEW_NOTICE = datetime.timedelta(days=14)


@system_task
def send_outbound_email(email_id: int) -> bool:
    return send_email(email_id)


def _remind_session(session: Session) -> bool:
    """Each reminder names only its own session, with its place: never the booking's others."""
    booking = session.booking
    case = booking_case(booking)
    if case is None:
        return False
    for kind in (Recipient.REQUESTER, Recipient.SUPERVISOR):
        queue_email(
            idempotency_key=f"session-reminder:{session.pk}:{kind}",
            template_key="session-reminder",
            recipient_kind=kind,
            case=case,
            booking=booking,
            sessions=sessions_text([session]),
        )
    return True


SESSION_REMINDER = Reminder(
    model=Session,
    stamp_field="reminded_at",
    due=lambda: Session.objects.filter(
        status=SessionStatus.CONFIRMED,
        start__date=timezone.localdate() + datetime.timedelta(days=1),
        reminded_at=None,
    ),
    send=_remind_session,
)


@system_task
def send_session_reminders() -> int:
    """Remind supervisee and supervisor of tomorrow's confirmed sessions, once each."""
    return send_reminders(SESSION_REMINDER)


@system_task
def sweep_unsent_emails() -> int:
    """Every minute: send failed emails after their back-off, and emails whose task was lost."""
    return sweep_emails()


@system_task
def purge_expired_links() -> int:
    """Daily: delete supervisee links that expired or were revoked long enough ago."""
    return purge_links()


def _remind_review(agreement: Agreement) -> bool:
    case = booking_case(agreement.booking)
    if case is None:
        return False
    for kind in (Recipient.REQUESTER, Recipient.SUPERVISOR):
        queue_email(
            idempotency_key=f"agreement-review:{agreement.pk}:{agreement.review_date}:{kind}",
            template_key="agreement-review-due",
            recipient_kind=kind,
            case=case,
            booking=agreement.booking,
        )
    return True


REVIEW_REMINDER = Reminder(
    model=Agreement,
    stamp_field="review_reminded_at",
    due=lambda: Agreement.objects.filter(
        review_date__lte=timezone.localdate() + REVIEW_NOTICE,
        review_reminded_at=None,
        supervisor_signed_at__isnull=False,
    ),
    send=_remind_review,
)


@system_task
def send_agreement_review_reminders() -> int:
    """Tell both sides an agreement's review date is within two weeks, once per review date."""
    return send_reminders(REVIEW_REMINDER)


def _remind_overdue_case(case: Case) -> bool:
    """Overdue when more working days (bank holidays excluded) have passed than the SLA."""
    entered = timezone.localtime(case.state_entered_at).date()
    if working_days_between(entered, timezone.localdate()) <= case.state.sla_days:
        return False
    booking = booking_of(case)
    if booking is None:
        return False
    queue_email(
        idempotency_key=f"case-overdue:{case.pk}:{case.state_entered_at.isoformat()}",
        template_key="case-overdue",
        recipient_kind=Recipient.SERVICE_INBOX,
        case=case,
        booking=booking,
    )
    return True


OVERDUE_CASE_REMINDER = Reminder(
    model=Case,
    stamp_field="sla_reminded_at",
    due=lambda: Case.objects.open().filter(state__sla_days__isnull=False, sla_reminded_at=None),
    send=_remind_overdue_case,
)


@system_task
def send_overdue_case_reminders() -> int:
    """Tell the service inbox about open cases waiting longer than their state's SLA."""
    return send_reminders(OVERDUE_CASE_REMINDER)
