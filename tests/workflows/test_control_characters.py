"""Issue 13, finding 9: CR/LF in public fields never breaks or injects into email, and an
email that can never be sent shows as failed, with the reason, to staff."""

from __future__ import annotations

import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django_q.tasks import async_task

from tests.factories.workflows import OutboundEmailFactory, SchoolFactory
from tests.helpers.service import booking_post, login, next_weekday, session_post
from workflows.models import Agreement, Booking, Case, OutboundEmail
from workflows.services.notifications import max_send_attempts
from workflows.services.tokens import issue_token
from workflows.validators import SINGLE_LINE_MESSAGE

pytestmark = pytest.mark.django_db

INJECTION = "School D\r\nBcc: everyone@attacker.example"


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: every send raises, as smtplib does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("school_name", INJECTION),
        ("supervisee_name", "Jo\nBloggs"),
        ("preferred_location", "Room 4\rBcc: x@example.org"),
        ("work_email", "jo@example.org\r\nBcc: x@example.org"),
        ("school_name", "School\u2028D"),
        ("supervisee_name", "Jo\x00Bloggs"),
        ("booker_name", "Head\r\nTeacher"),
        ("booker_email", "head@example.org\nBcc: x@example.org"),
    ],
)
def test_booking_form_refuses_control_characters_and_saves_nothing(client, service, field, value):
    response = client.post(service.form_page.url, booking_post(service, **{field: value}))
    assert response.status_code == 200
    assert SINGLE_LINE_MESSAGE in response.content.decode().replace("&#x27;", "'")
    assert Booking.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_link_request_refuses_control_characters(client, service, mailoutbox):
    response = client.post(
        reverse("workflows:request_link"),
        {"email": "jo.bloggs@hillside.example.org\r\nBcc: x@example.org"},
    )
    assert SINGLE_LINE_MESSAGE in response.content.decode().replace("&#x27;", "'")
    assert mailoutbox == []


def test_signing_refuses_a_name_with_a_line_break(client, service):
    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()

    login(client, service.staff)
    client.post(
        reverse(
            "workflows_admin:case_transition",
            args=[Case.objects.get(reference=booking.reference).pk, "accept"],
        ),
        session_post([next_weekday(7)]),
    )
    client.logout()
    agreement = Agreement.objects.get(booking=booking)
    url = reverse(
        "workflows:agreement", args=[issue_token(email=booking.supervisee_email), agreement.pk]
    )

    response = client.post(url, {"typed_name": "Jo\r\nBloggs", "confirm": "on"})

    assert response.status_code == 400
    assert SINGLE_LINE_MESSAGE in response.content.decode().replace("&#x27;", "'")
    agreement.refresh_from_db()
    assert agreement.supervisee_signed_at is None


def test_a_stored_name_with_a_line_break_is_cleaned_out_of_the_subject_and_the_email_is_sent(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    """A school saved before the fix keeps its name; its emails still go, on one line."""
    SchoolFactory(urn="654321", name=INJECTION)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            service.form_page.url, booking_post(service, school_urn="654321", school_name="D")
        )
    assert response.status_code == 200
    booking = Booking.objects.get()
    team_mails = OutboundEmail.objects.filter(template_key="booking-new-for-team")
    assert [(m.subject, m.sent_at is not None, m.failed_at) for m in team_mails] == [
        (
            f"New supervision request {booking.reference} from School D Bcc: "
            "everyone@attacker.example",
            True,
            None,
        )
    ] * 2
    assert sorted(m.to[0] for m in mailoutbox) == [
        "amira@example.org",
        "jo.bloggs@hillside.example.org",
        "supervision-team@example.org",
    ]
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mailoutbox)
    assert all(m.bcc == [] for m in mailoutbox)


def test_an_email_with_a_bad_header_is_failed_at_once_and_shown_to_staff(client, service):
    """A row queued before the fix, with the line break in its subject: no retry can send it."""
    email = OutboundEmailFactory(
        idempotency_key="legacy-1",
        subject=f"New supervision request SUP-000001 from {INJECTION}",
    )

    async_task("workflows.tasks.send_outbound_email", email.pk)

    email.refresh_from_db()
    assert (email.sent_at, email.attempts) == (None, 1)
    assert email.failed_at is not None
    assert email.last_error.startswith("Can never be sent: BadHeaderError:")
    login(client, service.staff)
    page = client.get(reverse("workflows_support:emails")).content.decode()
    assert f'data-email="{email.pk}" data-status="failed"' in page
    assert "1 email could not be sent" in page
    assert "Can never be sent: BadHeaderError" in page


def test_an_email_is_failed_after_the_last_retry_and_never_sent_again(
    client, service, settings, mailoutbox
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    email = OutboundEmailFactory(
        idempotency_key="down-1", subject="New supervision request SUP-000001"
    )

    raised = 0
    for _ in range(max_send_attempts() + 2):  # the queue's retries, and a stray extra run
        try:
            async_task("workflows.tasks.send_outbound_email", email.pk)
        except smtplib.SMTPException:  # a failed run, which the queue retries
            raised += 1

    assert raised <= max_send_attempts() - 1  # the last try and later runs end quietly

    email.refresh_from_db()
    assert email.attempts == max_send_attempts()
    assert email.failed_at is not None and email.sent_at is None
    assert email.last_error == (
        f"Gave up after {max_send_attempts()} tries: SMTPServerDisconnected: "
        "Connection unexpectedly closed"
    )
    login(client, service.staff)
    page = client.get(reverse("workflows_support:emails") + "?status=failed").content.decode()
    assert f'data-email="{email.pk}" data-status="failed"' in page


def test_supervisors_may_not_see_outgoing_emails(client, service):
    login(client, service.user_a)
    response = client.get(reverse("workflows_support:emails"))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
