"""Filling the agreement wording for a booking, the example used in its preview, and its default.

The wording is content (``workflows.models.wording.AgreementWording``); this module turns it
into the text of one agreement. Placeholders are filled with plain strings, never through the
template language, so an editor's text cannot reach attributes or code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from workflows.models.wording import AgreementWording, example_values  # noqa: F401 (re-exported)
from workflows.services.notifications import render, sessions_text

#: Where no location was given on the booking form.
NO_LOCATION = "chosen by the supervisee"

#: The wording used before it became content; ``install_default_wording`` seeds it.
DEFAULT_WORDING = """Reference: {{ reference }}
Supervisee: {{ supervisee }}, {{ school }} (URN {{ urn }})
Supervisor: {{ supervisor }}, {{ supervisor_job_title }}
Service: {{ service }}
Format: {{ format }}
Session length and price: {{ length_and_price }}
Frequency: {{ frequency }}, as decided by the school
Location: {{ location }} (a confidential setting, free of interruption)
Sessions booked:
{{ sessions }}
Review date: {{ review_date }}

Records: there will be a clear record of each session. All details of children will be \
anonymised. The supervisee and the supervisor each hold a copy securely and confidentially in \
line with their organisation's policies and procedures.

Supervision is reflective and not directive. Case direction for cases not open to children's \
services, performance and HR issues, counselling needs, escalation of cases and resource needs \
are signposted elsewhere.

This agreement follows the {{ policy }}, version {{ policy_version }}, in force from \
{{ policy_effective_from }}."""


@dataclass(frozen=True)
class IssuedWording:
    """The text for one agreement and the wording revision it was made from (if any)."""

    text: str
    revision: Any = None


def fill_wording(body: str, values: dict[str, str]) -> str:
    return render(body, values)


def booking_values(
    *, booking: Any, policy: Any, review_date: datetime.date, sessions: Any = None
) -> dict[str, str]:
    """Every placeholder's value for ``booking`` under ``policy``."""
    if sessions is None:
        sessions = booking.sessions.active().order_by("start")
    people = f" for {booking.attendees} people" if booking.attendees > 1 else ""
    return {
        "reference": booking.reference,
        "school": booking.school.name,
        "urn": booking.school.urn,
        "supervisee": booking.supervisee_name,
        "supervisor": booking.supervisor.title,
        "supervisor_job_title": booking.supervisor.job_title,
        "service": booking.service.title,
        "format": booking.get_format_display() + people,
        "length_and_price": booking.price_label,
        "frequency": booking.get_frequency_display(),
        "location": (booking.preferred_location or "").strip() or NO_LOCATION,
        "sessions": sessions_text(sessions),
        "review_date": f"{review_date:%d %B %Y}",
        "policy": policy.title,
        "policy_version": policy.version,
        "policy_effective_from": f"{policy.effective_from:%d %B %Y}",
    }


def current_wording() -> AgreementWording | None:
    """The published wording new agreements use: the most recently published one."""
    return (
        AgreementWording.objects.filter(live=True)
        .order_by("-last_published_at", "-pk")
        .select_related("live_revision")
        .first()
    )


def issue_wording(*, booking: Any, policy: Any, review_date: datetime.date) -> IssuedWording:
    """The text of a new agreement: the published wording (or the default) filled in."""
    wording = current_wording()
    body = wording.body if wording is not None else DEFAULT_WORDING
    values = booking_values(booking=booking, policy=policy, review_date=review_date)
    return IssuedWording(
        text=fill_wording(body, values),
        revision=wording.live_revision if wording is not None else None,
    )


@transaction.atomic
def install_default_wording() -> AgreementWording:
    """Seed the default wording, published, if there is none; never touches staff's wording."""
    existing = AgreementWording.objects.order_by("pk").first()
    if existing is not None:
        return existing
    wording = AgreementWording(name="Supervision agreement", body=DEFAULT_WORDING)
    wording.save()
    wording.save_revision().publish()
    return wording
