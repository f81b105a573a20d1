"""Correct under concurrency on PostgreSQL: real connections racing, and two real clusters.

Each thread opens its own database connection (Django gives every thread its own) and waits
at a barrier, so the racing statements reach PostgreSQL together. Marked ``scaleout``:
skipped unless DATABASE_URL is PostgreSQL and REDIS_URL answers (see conftest.py).
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone
from django_q.models import Schedule, Task

from tests.helpers.ops import wait_for
from tests.helpers.service import booking_post
from tests.ops.mailsink import sent_subjects
from workflows.enums import Role, SessionStatus
from workflows.errors import ActionError
from workflows.models import Booking, Case, CaseEvent, OutboundEmail, Session
from workflows.services.engine import TransitionError, apply_transition
from workflows.services.notifications import send_outbound_email
from workflows.services.scheduling import schedule_sessions
from workflows.tasks import send_session_reminders

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]


def race(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together; results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=20)
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    return results


def _bookings(client, service, count: int) -> list[Booking]:
    from django.conf import settings

    settings.PUBLIC_FORM_LIMIT_PER_HOUR = 100  # one test client sends them all
    for n in range(count):
        client.post(service.form_page.url, booking_post(service, work_email=f"p{n}@example.org"))
    return list(Booking.objects.order_by("pk"))


def _tomorrow_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_overlapping_sessions_for_one_supervisor_from_eight_connections_book_one(client, service):
    bookings = _bookings(client, service, 8)
    start = _tomorrow_at(10)

    def book(i: int) -> str:
        slot = {"start": start + datetime.timedelta(minutes=10 * i), "duration_minutes": 90}
        schedule_sessions(booking=bookings[i], slots=[slot])
        return "booked"

    results = race(8, book)

    assert [r for r in results if r == "booked"] == ["booked"]
    assert all(isinstance(r, ActionError) for r in results if r != "booked"), results
    sessions = list(Session.objects.filter(supervisor=service.supervisor_a))
    assert len(sessions) == 1


def test_six_people_pressing_one_step_on_one_case_apply_it_once(client, service):
    [booking] = _bookings(client, service, 1)
    case = Case.objects.for_subject(booking).get()
    before = OutboundEmail.objects.count()

    def decline(i: int) -> str:
        apply_transition(
            case=case,
            transition_key="decline",
            actor=service.staff,
            role=Role.SERVICE_STAFF,
            inputs={"reason": f"reason {i}"},
        )
        return "applied"

    results = race(6, decline)

    assert results.count("applied") == 1, results
    refused = [r for r in results if r != "applied"]
    assert all(isinstance(r, TransitionError) for r in refused), [repr(r) for r in refused]
    case.refresh_from_db()
    assert case.state.key == "declined"
    assert CaseEvent.objects.filter(case=case, transition_key="decline").count() == 1
    emails = OutboundEmail.objects.order_by("pk")[before:]
    assert len({e.idempotency_key for e in emails}) == len(emails)
    assert len({e.recipient_kind for e in emails}) == len(emails)  # one per recipient


def test_eight_workers_sending_one_email_send_it_once(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("MAIL_SINK_DIR", str(tmp_path))
    monkeypatch.setenv("MAIL_SINK_DELAY", "0.5")  # the send is slow: others arrive meanwhile
    settings.EMAIL_BACKEND = "tests.ops.mailsink.FileSinkBackend"
    email = OutboundEmail.objects.create(
        idempotency_key="race-1",
        template_key="booking-new-for-team",
        recipient_kind="service_inbox",
        to="supervision-team@example.org",
        subject="Sent once",
        body="A new request.",
    )

    results = race(8, lambda i: send_outbound_email(email.pk))

    assert sorted(results) == [False] * 7 + [True]
    assert sent_subjects(tmp_path) == ["Sent once"]
    email.refresh_from_db()
    assert email.attempts == 1 and email.sent_at is not None


def _confirmed_session_tomorrow(client, service) -> Session:
    [booking] = _bookings(client, service, 1)
    start = _tomorrow_at(14)
    return Session.objects.create(
        booking=booking,
        supervisor=service.supervisor_a,
        start=start,
        end=start + datetime.timedelta(hours=1),
        price=60,
        status=SessionStatus.CONFIRMED,
    )


def test_reminder_runs_racing_in_four_connections_remind_once(
    client, service, django_capture_on_commit_callbacks
):
    session = _confirmed_session_tomorrow(client, service)

    results = race(4, lambda i: send_session_reminders())

    assert sorted(results) == [0, 0, 0, 1]
    reminders = OutboundEmail.objects.filter(template_key="session-reminder")
    assert sorted(reminders.values_list("recipient_kind", flat=True)) == [
        "requester",
        "supervisor",
    ]
    session.refresh_from_db()
    assert session.reminded_at is not None


def test_a_reminder_schedule_runs_once_across_two_clusters(client, service, processes):
    session = _confirmed_session_tomorrow(client, service)
    Schedule.objects.update_or_create(  # setup_workflows installed it; make it due now
        name="Session reminders",
        defaults={
            "func": "workflows.tasks.send_session_reminders",
            "schedule_type": Schedule.HOURLY,
            "next_run": timezone.now() - datetime.timedelta(seconds=1),
        },
    )
    assert Schedule.objects.filter(func="workflows.tasks.send_session_reminders").count() == 1
    started = timezone.now()
    processes.cluster("one")
    processes.cluster("two")

    def both_schedulers_ran() -> bool:
        # Each cluster's scheduler first runs about 30 s after it starts; give both time.
        return timezone.now() - started > datetime.timedelta(seconds=50)

    wait_for(both_schedulers_ran, timeout=70, what="both clusters' schedulers")
    wait_for(
        lambda: (
            OutboundEmail.objects.filter(
                template_key="session-reminder", sent_at__isnull=False
            ).count()
            == 2
        ),
        timeout=30,
        what="the two reminder emails",
        log=lambda: processes.log("one") + processes.log("two"),
    )

    runs = Task.objects.filter(func="workflows.tasks.send_session_reminders")
    assert [run.result for run in runs] == [1]  # one run, across two clusters, reminded one
    session.refresh_from_db()
    assert session.reminded_at is not None
    reminder_subjects = OutboundEmail.objects.filter(template_key="session-reminder").values_list(
        "subject", flat=True
    )
    assert sorted(sent_subjects(processes.sink)) == sorted(reminder_subjects)
