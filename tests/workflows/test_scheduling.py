"""Scheduling: validation in the admin step, and no double-booking even under concurrency."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from tests.factories.workflows import SessionFactory
from tests.helpers.service import booking_post, login, next_weekday, session_post
from workflows.enums import SessionStatus
from workflows.errors import ActionError
from workflows.models import Booking, Case, Session
from workflows.services.scheduling import schedule_sessions


def _case(client, service, email="jo.bloggs@hillside.example.org") -> Case:
    client.post(service.form_page.url, booking_post(service, work_email=email))
    return Case.objects.get(reference=Booking.objects.get(supervisee_email=email).reference)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts", "minutes", "message"),
    [
        ([next_weekday(-2)], 60, "cannot be scheduled in the past"),
        ([next_weekday(7)], 30, "Select a valid choice"),
        ([next_weekday(7, 14), next_weekday(7, 14)], 60, "overlaps another session in this list"),
    ],
)
def test_bad_sessions_are_refused_with_a_clear_message(client, service, starts, minutes, message):
    case = _case(client, service)
    login(client, service.user_a)
    response = client.post(
        reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
        session_post(starts, minutes=minutes),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    case.refresh_from_db()
    assert case.state.key == "submitted" and Session.objects.count() == 0


@pytest.mark.django_db
def test_accept_needs_at_least_one_session(client, service):
    case = _case(client, service)
    login(client, service.user_a)
    response = client.post(
        reverse("workflows_admin:case_transition", args=[case.pk, "accept"]), session_post([])
    )
    assert response.status_code == 400 and "Add at least one session" in response.content.decode()


@pytest.mark.django_db
def test_ninety_minute_sessions_take_the_ninety_minute_price(client, service):
    case = _case(client, service)
    login(client, service.user_a)
    client.post(
        reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
        session_post([next_weekday(7)], minutes=90),
    )
    session = Session.objects.get()
    assert str(session.price) == "80.00" and session.duration_minutes == 90


@pytest.mark.django_db
def test_cancelled_session_frees_the_slot(client, service):
    case = _case(client, service)
    booking = Booking.objects.get()
    slot = next_weekday(12)
    [session] = schedule_sessions(
        booking=booking,
        slots=[{"start": slot, "duration_minutes": 60, "location": "A"}],
    )
    with pytest.raises(ActionError, match="already has a session"):
        schedule_sessions(
            booking=booking,
            slots=[{"start": slot + datetime.timedelta(minutes=30), "duration_minutes": 60}],
        )
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
    assert schedule_sessions(booking=booking, slots=[{"start": slot, "duration_minutes": 60}])
    assert case.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_slot_exactly_one_succeeds(client, service):
    """Eight requests race for one supervisor's slot; the database lets exactly one through."""
    bookings = []
    for n in range(8):
        client.post(service.form_page.url, booking_post(service, work_email=f"p{n}@example.org"))
    bookings = list(Booking.objects.all())
    slot = next_weekday(14)
    barrier = threading.Barrier(len(bookings))
    results: list[str] = []
    lock = threading.Lock()

    def attempt(booking: Booking) -> None:
        try:
            barrier.wait(timeout=10)
            schedule_sessions(
                booking=booking,
                slots=[{"start": slot, "duration_minutes": 60, "location": "Room"}],
            )
            outcome = "ok"
        except ActionError:
            outcome = "refused"
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(b,)) for b in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["ok"] + ["refused"] * (len(bookings) - 1), results
    assert Session.objects.filter(start=slot).count() == 1
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.django_db(transaction=True)
def test_database_refuses_overlap_even_without_the_service_check(client, service):
    """Belt and braces: on PostgreSQL an exclusion constraint; elsewhere the service's lock."""
    from django.db import IntegrityError

    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    start = next_weekday(21)
    SessionFactory(
        booking=booking,
        supervisor=service.supervisor_a,
        start=start,
        end=start + datetime.timedelta(hours=1),
        price=60,
    )
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError):
            SessionFactory(
                booking=booking,
                supervisor=service.supervisor_a,
                start=start + datetime.timedelta(minutes=30),
                end=start + datetime.timedelta(minutes=90),
                price=60,
            )
    else:
        with pytest.raises(ActionError):
            schedule_sessions(
                booking=booking,
                slots=[{"start": start + datetime.timedelta(minutes=30), "duration_minutes": 60}],
            )
    assert Session.objects.count() == 1
