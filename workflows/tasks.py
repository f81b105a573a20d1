"""django-q2 tasks. Each fetches by id and delegates to a service; each is safe to re-run."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from workflows.enums import Recipient, SessionStatus
from workflows.models import Agreement, Case, Session
from workflows.workdays import working_days_between


def send_outbound_email(email_id: int) -> bool:
    from workflows.services.notifications import send_outbound_email as send

    return send(email_id)


def send_session_reminders() -> int:
    """Remind supervisee and supervisor of tomorrow's confirmed sessions, once each.

    Each reminder names only its own session, with its place: never the booking's held or
    cancelled sessions.
    """
    from workflows.services.notifications import queue_email, sessions_text

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    sent = 0
    sessions = Session.objects.filter(
        status=SessionStatus.CONFIRMED, start__date=tomorrow, reminded_at=None
    ).select_related("booking__school", "booking__supervisor__user", "booking__service")
    for session in sessions:
        booking = session.booking
        case = Case.objects.for_subject(booking).first()
        if case is None:
            continue
        with transaction.atomic():
            for kind in (Recipient.REQUESTER, Recipient.SUPERVISOR):
                queue_email(
                    idempotency_key=f"session-reminder:{session.pk}:{kind}",
                    template_key="session-reminder",
                    recipient_kind=kind,
                    case=case,
                    booking=booking,
                    sessions=sessions_text([session]),
                )
            Session.objects.filter(pk=session.pk).update(reminded_at=timezone.now())
        sent += 1
    return sent


def send_agreement_review_reminders() -> int:
    """Tell both sides an agreement's review date is within two weeks, once per agreement."""
    from workflows.services.notifications import queue_email

    soon = timezone.localdate() + datetime.timedelta(days=14)
    count = 0
    for agreement in Agreement.objects.filter(
        review_date__lte=soon, review_reminded_at=None, supervisor_signed_at__isnull=False
    ).select_related("booking"):
        case = Case.objects.for_subject(agreement.booking).first()
        if case is None:
            continue
        with transaction.atomic():
            for kind in (Recipient.REQUESTER, Recipient.SUPERVISOR):
                queue_email(
                    idempotency_key=f"agreement-review:{agreement.pk}:{agreement.review_date}:{kind}",
                    template_key="agreement-review-due",
                    recipient_kind=kind,
                    case=case,
                    booking=agreement.booking,
                )
            Agreement.objects.filter(pk=agreement.pk).update(review_reminded_at=timezone.now())
        count += 1
    return count


def send_overdue_case_reminders() -> int:
    """Tell the service inbox about open cases waiting longer than their state's SLA."""
    from workflows.services.engine import booking_of
    from workflows.services.notifications import queue_email

    today = timezone.localdate()
    count = 0
    cases = Case.objects.open().filter(state__sla_days__isnull=False, sla_reminded_at=None)
    for case in cases.select_related("state"):
        entered = timezone.localtime(case.state_entered_at).date()
        if working_days_between(entered, today) <= case.state.sla_days:
            continue
        booking = booking_of(case)
        if booking is None:
            continue
        with transaction.atomic():
            queue_email(
                idempotency_key=f"case-overdue:{case.pk}:{case.state_entered_at.isoformat()}",
                template_key="case-overdue",
                recipient_kind=Recipient.SERVICE_INBOX,
                case=case,
                booking=booking,
            )
            Case.objects.filter(pk=case.pk).update(sla_reminded_at=timezone.now())
        count += 1
    return count
