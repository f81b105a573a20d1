"""Everything held about one supervisee, for them to download (UK GDPR right of access).

Gathered through the same address-scoped lookups as their portal, so it can contain nothing
about anyone else. Record content appears only once a record has been shared with them.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from records.models import SessionRecord
from records.pdf import _RecordPDF
from workflows.models import Agreement, Booking, OutboundEmail, Session


def _when(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def subject_data(email: str) -> dict[str, Any]:
    email = email.strip().lower()
    bookings = Booking.objects.for_supervisee(email).select_related(
        "school", "supervisor", "service", "supervisee_role"
    )
    records = (
        SessionRecord.objects.for_supervisee(email)
        .filter(submitted_at__isnull=False)
        .select_related("session")
        .prefetch_related("actions", "addenda")
    )
    return {
        "email": email,
        "generated_at": _when(timezone.now()),
        "bookings": [
            {
                "reference": b.reference,
                "school": b.school.name,
                "school_urn": b.school.urn,
                "supervisee_name": b.supervisee_name,
                "role": b.supervisee_role.name if b.supervisee_role else "",
                "supervisor": b.supervisor.title,
                "service": b.service.title,
                "format": b.get_format_display(),
                "attendees": b.attendees,
                "session_length_minutes": b.duration_minutes,
                "frequency": b.get_frequency_display(),
                "preferred_times": b.preferred_times,
                "preferred_location": b.preferred_location,
                "price": str(b.price),
                "requested_at": _when(b.created_at),
            }
            for b in bookings
        ],
        "sessions": [
            {
                "booking": s.booking.reference,
                "start": _when(s.start),
                "end": _when(s.end),
                "location": s.location,
                "status": s.get_status_display(),
                "price": str(s.price),
                "cancellation_reason": s.cancellation_reason,
            }
            for s in Session.objects.filter(booking__in=bookings).select_related("booking")
        ],
        "agreements": [
            {
                "booking": a.booking.reference,
                "policy_version": a.policy_version,
                "terms": a.terms,
                "review_date": _when(a.review_date),
                "signed_by_supervisee_as": a.supervisee_signed_name,
                "signed_by_supervisee_at": _when(a.supervisee_signed_at),
                "signed_by_supervisor_at": _when(a.supervisor_signed_at),
            }
            for a in Agreement.objects.filter(booking__in=bookings).select_related("booking")
        ],
        "session_records": [
            {
                "reference": r.reference,
                "session_start": _when(r.session.start),
                "attendees": r.attendee_list,
                "topics": r.topic_list,
                "signposting": r.signposting_list,
                "reflections": r.reflections,
                "answers": r.answer_list,
                "actions": [
                    {"action": a.description, "owner": a.owner, "due": _when(a.due_date)}
                    for a in r.actions.all()
                ],
                "next_session_date": _when(r.next_session_date),
                "addenda": [{"at": _when(x.created_at), "text": x.text} for x in r.addenda.all()],
            }
            for r in records
        ],
        "emails_sent_to_you": [
            {"subject": e.subject, "queued_at": _when(e.created_at), "sent_at": _when(e.sent_at)}
            for e in OutboundEmail.objects.filter(to=email).order_by("created_at")
        ],
    }


def subject_data_json(email: str) -> bytes:
    return json.dumps(subject_data(email), indent=2, ensure_ascii=False).encode()


def subject_data_pdf(email: str) -> bytes:
    """The same data, readable: one section per kind, every field labelled."""
    data = subject_data(email)
    pdf = _RecordPDF("Your data")
    pdf.add_page()
    pdf.heading("Everything we hold about you", size=16)
    pdf.fact("Email address", data["email"])
    pdf.fact("Produced", data["generated_at"] or "")
    for section, title in (
        ("bookings", "Bookings"),
        ("sessions", "Sessions"),
        ("agreements", "Supervision agreements"),
        ("session_records", "Session records"),
        ("emails_sent_to_you", "Emails we sent you"),
    ):
        pdf.heading(title, size=13)
        if not data[section]:
            pdf.para("None.")
        for item in data[section]:
            for key, value in item.items():
                text = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
                pdf.fact(key.replace("_", " ").capitalize(), str(text if text is not None else ""))
            pdf.ln(3)
    return bytes(pdf.output())
