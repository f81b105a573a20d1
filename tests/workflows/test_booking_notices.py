"""Who is told what: the person who booked, tomorrow's reminder, the thank-you page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.helpers.service import booking_post
from workflows.enums import SessionStatus
from workflows.models import Booking
from workflows.services.scheduling import schedule_sessions
from workflows.tasks import send_session_reminders

pytestmark = pytest.mark.django_db


def test_head_teacher_booking_for_their_dsl_gets_a_confirmation(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            service.form_page.url,
            booking_post(service, booker_name="Sam Head", booker_email="Head@Hillside.example.org"),
        )
    booking = Booking.objects.get()
    assert (booking.booker_name, booking.booker_email) == ("Sam Head", "head@hillside.example.org")
    [to_booker] = [m for m in mailoutbox if m.to == ["head@hillside.example.org"]]
    assert booking.reference in to_booker.subject
    assert "for Jo Bloggs at Hillside Primary School" in to_booker.body
    assert "/b/" not in to_booker.body  # the supervisee's links go only to the supervisee
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [
            "jo.bloggs@hillside.example.org",
            "head@hillside.example.org",
            "amira@example.org",
            "supervision-team@example.org",
        ]
    )


def test_no_booker_email_when_the_supervisee_books_for_themselves(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            service.form_page.url,
            booking_post(service, booker_email="jo.bloggs@hillside.example.org"),
        )
    assert [m.to[0] for m in mailoutbox].count("jo.bloggs@hillside.example.org") == 1


def test_thank_you_page_keeps_the_service_name_as_written(client, service):
    response = client.post(service.form_page.url, booking_post(service))
    html = response.content.decode()
    assert service.tree.dsl_service.title in html
    assert service.tree.dsl_service.title.lower() not in html


def test_reminder_names_only_tomorrows_session_with_its_place(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(10, 0)))
    later = start + datetime.timedelta(days=14)
    schedule_sessions(
        booking=booking,
        slots=[
            {"start": start, "duration_minutes": 60, "location": "Library"},
            {"start": later, "duration_minutes": 60, "location": "Staff room"},
        ],
    )
    booking.sessions.update(status=SessionStatus.CONFIRMED)
    held = booking.sessions.create(
        supervisor_id=booking.supervisor_id,
        start=start - datetime.timedelta(days=30),
        end=start - datetime.timedelta(days=30) + datetime.timedelta(hours=1),
        price=60,
        status=SessionStatus.HELD,
        location="Old room",
    )
    assert held.pk
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_session_reminders() == 1
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert "at Library (confirmed)" in message.body
        assert "Staff room" not in message.body
        assert "Old room" not in message.body
        assert "(held)" not in message.body
