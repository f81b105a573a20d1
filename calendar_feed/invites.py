"""Email invites: an .ics with METHOD:REQUEST or METHOD:CANCEL for a booking's sessions.

Each event has the same UID and SEQUENCE as in the feeds (``calendar_feed.events``), so a
client that got the invite updates or removes that same event when a later one arrives.
Built with bare icalendar: an invite is a one-off message, not a feed.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from calendar_feed.events import EventBuilder, EventData, with_event_columns
from calendar_feed.feeds import add_timezones
from workflows.enums import Recipient, SessionStatus
from workflows.models import Booking, Session

PRODID = "-//Safeguarding Supervision Service//Invite//EN"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def build_invite(*, method: str, sessions: list[Session], audience: str, booking: Booking) -> str:
    """One calendar with the sessions as events, for METHOD ``REQUEST`` or ``CANCEL``."""
    builder = EventBuilder(audience=audience)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    supervisor = booking.supervisor
    organizer_email = (
        supervisor.user.email
        if supervisor.user_id and supervisor.user.email
        else settings.SERVICE_INBOX_EMAIL
    )
    for session in sessions:
        data: EventData = builder.build(session)
        event = Event()
        event.add("uid", data.uid)
        event.add("dtstamp", timezone.now())
        event.add("sequence", data.sequence)
        event.add("summary", data.summary)
        event.add("description", data.description)
        event.add("dtstart", data.start)
        event.add("dtend", data.end)
        if data.location:
            event.add("location", data.location)
        event.add("url", data.url)
        event.add("status", "CANCELLED" if method == "CANCEL" else data.status)
        event.add("organizer", _address(organizer_email, supervisor.title))
        event.add(
            "attendee",
            _address(
                booking.supervisee_email,
                booking.supervisee_name,
                ROLE="REQ-PARTICIPANT",
                PARTSTAT="NEEDS-ACTION",
                RSVP="FALSE",
            ),
        )
        cal.add_component(event)
    add_timezones(cal)
    return cal.to_ical().decode()


#: Which emails carry which invite. Staff may edit the wording of these templates; the keys
#: (set by ``setup_workflows``) stay, so the invites follow.
REQUEST_TEMPLATES = frozenset(
    {"booking-accepted", "agreement-active", "session-change-requested", "session-moved"}
)
CANCEL_TEMPLATES = frozenset(
    {"booking-cancelled", "session-change-requested", "session-cancelled-by-team"}
)


def invites_for_email(*, template_key: str, recipient_kind: str, booking: Booking) -> list[dict]:
    """The attachments (as stored on ``OutboundEmail.attachments``) for one queued email.

    REQUEST carries the booking's upcoming provisional and confirmed sessions; CANCEL its
    upcoming cancelled ones. Only the two people in the session get them: not the service
    inbox (not a person's calendar), nor a booker who does not attend.
    """
    if recipient_kind not in (Recipient.REQUESTER, Recipient.SUPERVISOR) or booking is None:
        return []
    audience = "supervisee" if recipient_kind == Recipient.REQUESTER else "staff"
    sessions = list(
        with_event_columns(Session.objects.filter(booking=booking, start__gt=timezone.now()))
    )
    attachments = []
    wanted = [
        ("REQUEST", REQUEST_TEMPLATES, lambda s: s.status != SessionStatus.CANCELLED),
        ("CANCEL", CANCEL_TEMPLATES, lambda s: s.status == SessionStatus.CANCELLED),
    ]
    for method, templates, keep in wanted:
        chosen = [s for s in sessions if keep(s)]
        if template_key in templates and chosen:
            attachments.append(
                {
                    "filename": "invite.ics" if method == "REQUEST" else "cancellation.ics",
                    "content_type": "text/calendar",
                    "params": {"method": method},
                    "content": build_invite(
                        method=method, sessions=chosen, audience=audience, booking=booking
                    ),
                }
            )
    return attachments
