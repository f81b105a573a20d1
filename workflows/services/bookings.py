"""Turning a public booking request into a school, a booking and an open case."""

from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError, transaction

from audit.services import log_event
from cms.models import Rate
from workflows.enums import Recipient
from workflows.errors import BookingError
from workflows.models.domain import Booking, School
from workflows.references import new_reference
from workflows.services.engine import start_case
from workflows.services.notifications import queue_email


@transaction.atomic
def request_booking(
    *, form_page: Any, data: dict[str, Any], extra: dict[str, Any], request: Any = None
) -> Booking:
    """Record a school's request and start its case in the form's workflow.

    Atomic: the school, booking, case, its history and the queued emails exist together or
    not at all. The price is copied from the rate in force today. Someone booking for another
    person (``booker_email``) gets a confirmation without the supervisee's links.
    """
    service = data["service"]
    minutes = data["duration_minutes"]
    rate = Rate.objects.in_force().filter(service=service, duration_minutes=minutes).first()
    if rate is None:
        raise BookingError(
            f"{minutes}-minute sessions of this service have no price at the moment. "
            "Choose another length or contact the team."
        )
    school, _ = School.objects.get_or_create(
        urn=data["school_urn"], defaults={"name": data["school_name"].strip()}
    )
    for _ in range(5):
        reference = new_reference("SUP")
        if not Booking.objects.filter(reference=reference).exists():
            break
    try:
        booking = Booking.objects.create(
            reference=reference,
            school=school,
            supervisee_name=data["supervisee_name"].strip(),
            supervisee_email=data["work_email"],
            supervisee_role=data["role"],
            booker_name=data.get("booker_name", "").strip(),
            booker_email=data.get("booker_email", ""),
            supervisor=data["supervisor"],
            service=service,
            format=data["format"],
            attendees=data["attendees"],
            duration_minutes=minutes,
            frequency=data["frequency"],
            preferred_times=data["preferred_times"].strip(),
            preferred_location=data["preferred_location"].strip(),
            price=rate.price,
            extra_answers=json.dumps(extra) if extra else "",
            form_page=form_page,
        )
    except IntegrityError as exc:  # pragma: no cover - guarded by form validation
        raise BookingError("The request could not be saved. Please check your answers.") from exc
    case = start_case(workflow=form_page.workflow, subject=booking, reference=booking.reference)
    if booking.booker_email and booking.booker_email != booking.supervisee_email:
        queue_email(
            idempotency_key=f"booking-booker:{booking.pk}",
            template_key="booking-received-booker",
            recipient_kind=Recipient.BOOKER,
            case=case,
            booking=booking,
            link="",
        )
    log_event(
        action="workflows.booking.requested",
        target=booking,
        request=request,
        actor_label="public form",
        data={"school_urn": school.urn, "supervisor": booking.supervisor_id},
    )
    return booking
