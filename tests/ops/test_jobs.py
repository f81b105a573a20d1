"""Emails survive lost tasks and failing mail servers; dead links are purged (any database)."""

from __future__ import annotations

import datetime
import smtplib

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from tests.helpers.service import login
from workflows.models import AccessToken, OutboundEmail
from workflows.services.notifications import max_send_attempts, retry_delay
from workflows.services.tokens import issue_token, purge_expired_links
from workflows.tasks import purge_expired_links as purge_task
from workflows.tasks import sweep_unsent_emails

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that hangs up on every message."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def _email(key: str = "k-1", **fields) -> OutboundEmail:
    return OutboundEmail.objects.create(
        idempotency_key=key,
        template_key="booking-new-for-team",
        recipient_kind="service_inbox",
        to="supervision-team@example.org",
        subject="New supervision request SUP-000001",
        body="A new request.",
        **fields,
    )


def test_the_sweep_sends_an_email_whose_task_was_lost_once_and_only_once(mailoutbox, settings):
    settings.EMAIL_SWEEP_GRACE_SECONDS = 60
    email = _email()  # no task: the broker was down, or the cluster died

    assert sweep_unsent_emails() == 0  # too young: its own task may still be coming
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        assert sweep_unsent_emails() == 1
        assert sweep_unsent_emails() == 0

    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    assert [m.to for m in mailoutbox] == [["supervision-team@example.org"]]


def test_a_failed_send_waits_longer_each_time_then_fails_for_good(settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    start = timezone.now()
    email = _email(created_at=start - datetime.timedelta(minutes=5))
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        for attempt in range(1, max_send_attempts() + 1):
            sweep_unsent_emails()
            email.refresh_from_db()
            assert email.attempts == attempt
            if email.failed_at is not None:
                break
            waits.append((email.next_attempt_at - timezone.now()).total_seconds())
            clock.shift(datetime.timedelta(seconds=waits[-1] - 1))
            assert sweep_unsent_emails() == 0  # not before its back-off
            assert OutboundEmail.objects.get(pk=email.pk).attempts == attempt
            clock.shift(datetime.timedelta(seconds=1))

    assert waits == [60, 120, 240, 480][: max_send_attempts() - 1]
    assert email.failed_at is not None and email.sent_at is None
    assert email.last_error.startswith(f"Gave up after {max_send_attempts()} tries:")
    assert mailoutbox == []


def test_retry_delay_doubles_and_stops_at_an_hour(settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 20)] == [
        60,
        120,
        240,
        3600,
        3600,
    ]


def test_staff_try_a_failed_email_again_from_the_admin(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    email = _email(attempts=5, failed_at=timezone.now(), last_error="Gave up after 5 tries: x")
    login(client, service.staff)
    page = client.get(reverse("workflows_support:emails")).content.decode()
    retry_url = reverse("workflows_support:email_retry", args=[email.pk])
    assert f'action="{retry_url}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url, follow=True)

    assert response.status_code == 200
    assert "will be tried again" in response.content.decode()
    email.refresh_from_db()
    assert email.sent_at is not None and email.failed_at is None and email.attempts == 1
    assert [m.to for m in mailoutbox] == [["supervision-team@example.org"]]
    event = AuditEvent.objects.get(action="workflows.email.retried")
    assert (event.actor, event.data["attempts_before"]) == (service.staff, 5)


def test_a_sent_or_waiting_email_cannot_be_retried_and_nothing_changes(client, service):
    sent = _email("k-sent", sent_at=timezone.now(), attempts=1)
    login(client, service.staff)
    response = client.post(reverse("workflows_support:email_retry", args=[sent.pk]), follow=True)
    assert "Only a failed email can be tried again." in response.content.decode()
    sent.refresh_from_db()
    assert sent.attempts == 1
    assert not AuditEvent.objects.filter(action="workflows.email.retried").exists()


def test_a_supervisor_may_not_retry_emails(client, service):
    email = _email(attempts=5, failed_at=timezone.now())
    login(client, service.user_a)
    response = client.post(reverse("workflows_support:email_retry", args=[email.pk]))
    assert response.status_code == 404
    email.refresh_from_db()
    assert email.failed_at is not None and email.attempts == 5


def test_dead_links_are_purged_after_the_grace_period_and_live_ones_kept(settings):
    settings.LINK_PURGE_DAYS = 30
    issue_token(email="live@example.org")
    issue_token(email="old@example.org")
    AccessToken.objects.filter(email="old@example.org").update(
        expires_at=timezone.now() - datetime.timedelta(days=31)
    )
    issue_token(email="recent@example.org")
    AccessToken.objects.filter(email="recent@example.org").update(
        expires_at=timezone.now() - datetime.timedelta(days=2)
    )

    assert purge_task() == 1
    assert purge_expired_links() == 0
    assert sorted(AccessToken.objects.values_list("email", flat=True)) == [
        "live@example.org",
        "recent@example.org",
    ]


def test_setup_installs_the_sweep_and_purge_schedules(service):
    from django_q.models import Schedule

    schedules = {s.name: (s.func, s.schedule_type, s.minutes) for s in Schedule.objects.all()}
    assert schedules["Unsent email sweep"] == (
        "workflows.tasks.sweep_unsent_emails",
        Schedule.MINUTES,
        1,
    )
    assert schedules["Expired link purge"][:2] == (
        "workflows.tasks.purge_expired_links",
        Schedule.DAILY,
    )
