"""The supervisee's portal: sending links without revealing who has bookings."""

from __future__ import annotations

import secrets

from django.db import transaction

from workflows.enums import Recipient
from workflows.models.domain import Booking
from workflows.services.notifications import queue_email
from workflows.subjects import booking_case


@transaction.atomic
def send_portal_link(*, email: str) -> bool:
    """Email a new link if the address has bookings; do nothing visible otherwise."""
    booking = Booking.objects.for_supervisee(email).order_by("-created_at").first()
    if booking is None:
        return False
    case = booking_case(booking)
    if case is None:
        return False
    queue_email(
        idempotency_key=f"portal-link:{booking.pk}:{secrets.token_hex(8)}",
        template_key="portal-link",
        recipient_kind=Recipient.REQUESTER,
        case=case,
        booking=booking,
    )
    return True
