"""Reminders run as django-q2 schedules the app installs; each sends once however often run."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_q.models import Schedule

from tests.helpers.service import booking_post
from workflows.defaults import install_defaults
from workflows.enums import SessionStatus
from workflows.models import Agreement, Booking, Case
from workflows.services.scheduling import schedule_sessions
from workflows.tasks import (
    send_agreement_review_reminders,
    send_overdue_case_reminders,
    send_session_reminders,
)

pytestmark = pytest.mark.django_db


def test_schedules_are_installed_once(service):
    install_defaults()
    install_defaults()
    names = sorted(Schedule.objects.values_list("func", flat=True))
    assert names == sorted(
        [
            "exports.tasks.delete_expired_exports",  # installed by exports' migration
            "workflows.tasks.send_agreement_review_reminders",
            "workflows.tasks.send_overdue_case_reminders",
            "workflows.tasks.send_session_reminders",
            "workflows.tasks.sweep_unsent_emails",
            "workflows.tasks.purge_expired_links",
        ]
    )


def test_session_tomorrow_reminder_goes_once_to_both(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(10, 0)))
    [session] = schedule_sessions(
        booking=booking,
        slots=[{"start": start, "duration_minutes": 60, "location": "Library"}],
    )
    session.status = SessionStatus.CONFIRMED
    session.save()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_session_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_session_reminders() == 0
    assert sorted(m.to[0] for m in mailoutbox) == ["amira@example.org", booking.supervisee_email]
    assert all("Reminder: supervision tomorrow" in m.subject for m in mailoutbox)


def test_agreement_review_reminder_goes_once(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    from workflows.services.agreements import create_agreement

    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    agreement = create_agreement(booking=booking, actor=None)
    Agreement.objects.filter(pk=agreement.pk).update(
        supervisee_signed_at=timezone.now(),
        supervisor_signed_at=timezone.now(),
        review_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_agreement_review_reminders() == 1
        assert send_agreement_review_reminders() == 0
    assert len(mailoutbox) == 2
    assert all("due for review" in m.subject for m in mailoutbox)


def test_open_request_past_its_sla_is_flagged_to_the_team_once(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(service.form_page.url, booking_post(service))
    case = Case.objects.get()
    assert case.state.sla_days == 5
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_case_reminders() == 0
    later = timezone.now() + datetime.timedelta(days=9)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_case_reminders() == 1
        assert send_overdue_case_reminders() == 0
    [mail] = mailoutbox
    assert mail.to == ["supervision-team@example.org"]
    assert case.reference in mail.subject


def test_failed_send_is_retried_and_never_duplicated(
    client, service, mailoutbox, settings, django_capture_on_commit_callbacks
):
    """An SMTP failure leaves the email unsent (django-q2 retries); a later run sends it once."""
    from workflows.models import OutboundEmail
    from workflows.services.notifications import send_outbound_email

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with django_capture_on_commit_callbacks(execute=False):
        client.post(service.form_page.url, booking_post(service))
    email = OutboundEmail.objects.filter(recipient_kind="requester").get()
    with pytest.raises(OSError):
        send_outbound_email(email.pk)
    email.refresh_from_db()
    assert email.sent_at is None and email.attempts == 1 and email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_outbound_email(email.pk) is True
    assert send_outbound_email(email.pk) is False
    assert len([m for m in mailoutbox if m.to == [email.to]]) == 1
