"""What a calendar event says about a session: one definition for feeds and email invites.

Only what the issue allows reaches an event: the school, the supervisor, service, format,
length, booking reference, place and a link back. Never the supervisee's free text, never a
record, never anything about a child. ``SESSION_COLUMNS`` is the exact list of columns read,
so no other field of a session or booking is even loaded.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from config.links import absolute_url
from workflows.enums import SessionFormat, SessionStatus, WorkflowSubject
from workflows.models import Case, Session

LONDON = zoneinfo.ZoneInfo("Europe/London")

SESSION_COLUMNS = (
    "pk",
    "start",
    "end",
    "location",
    "status",
    "sequence",
    "changed_at",
    "created_at",
    "supervisor__title",
    "booking__reference",
    "booking__format",
    "booking__supervisee_name",
    "booking__supervisee_email",
    "booking__school__name",
    "booking__service__title",
)

ICAL_STATUS = {
    SessionStatus.PROVISIONAL: "TENTATIVE",
    SessionStatus.CONFIRMED: "CONFIRMED",
    SessionStatus.HELD: "CONFIRMED",
    SessionStatus.CANCELLED: "CANCELLED",
}
_FORMATS = dict(SessionFormat.choices)


def with_event_columns(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """One query for everything an event needs (``.only`` keeps encrypted extras unread);
    ``case_pk`` is the booking's case, for the admin link back."""
    case_pk = Case.objects.filter(
        workflow__subject=WorkflowSubject.BOOKING, subject_id=OuterRef("booking_id")
    ).values("pk")[:1]
    return (
        sessions.select_related("supervisor", "booking__school", "booking__service")
        .only(*SESSION_COLUMNS)
        .annotate(case_pk=Subquery(case_pk))
        .order_by("start", "pk")
    )


@dataclass(frozen=True, slots=True)
class EventData:
    uid: str
    summary: str
    description: str
    location: str
    url: str
    start: object
    end: object
    status: str
    sequence: int
    stamp: object
    created: object


def unambiguous(value: datetime.datetime) -> datetime.datetime:
    """London time, except in the repeated hour after clocks go back (or a skipped one): UTC.

    RFC 5545 says an ambiguous local time means its first occurrence, but clients disagree
    (ical.js takes the second), so ``01:30`` on the last Sunday of October is written as UTC,
    which every reader takes the same way. Everything else keeps its TZID, so clients show it
    in London time and move it correctly with the clocks.
    """
    local = value.astimezone(LONDON)
    naive = local.replace(tzinfo=None)
    first = naive.replace(tzinfo=LONDON, fold=0)
    second = naive.replace(tzinfo=LONDON, fold=1)
    if first.utcoffset() != second.utcoffset():
        return value.astimezone(datetime.UTC)
    return local


def _host() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


class EventBuilder:
    """Turns sessions into ``EventData`` for one audience ("staff" or "supervisee").

    URLs and the host are worked out once per feed, not once per event.
    """

    def __init__(self, *, audience: str) -> None:
        base = absolute_url("")
        self.audience = audience
        self.host = _host()
        if audience == "supervisee":
            # Never the supervisee's own link: it is a secret and expires. The page that sends
            # a fresh one is the way back to the portal.
            self.link = base + reverse("workflows:request_link")
        else:
            # reverse() once; each event only swaps in its case id.
            self.case_url = base + reverse("workflows_admin:case", args=[0])[:-2]
            self.link = ""

    def uid(self, session_id: int) -> str:
        return f"supervision-session-{session_id}@{self.host}"

    def build(self, session: Session) -> EventData:
        booking = session.booking
        if self.audience == "supervisee":
            summary = f"Supervision with {session.supervisor.title}"
            url = self.link
        else:
            summary = f"Supervision: {booking.school.name}"
            case_pk = getattr(session, "case_pk", None)
            url = f"{self.case_url}{case_pk}/" if case_pk else self.case_url[: -len("cases/")]
        minutes = int((session.end - session.start).total_seconds() // 60)
        description = (
            f"Service: {booking.service.title}\n"
            f"Format: {_FORMATS.get(booking.format, booking.format)}\n"
            f"Length: {minutes} minutes\n"
            f"Booking reference: {booking.reference}\n"
            f"Details: {url}"
        )
        return EventData(
            uid=self.uid(session.pk),
            summary=summary,
            description=description,
            location=session.location or "",
            url=url,
            start=unambiguous(session.start),
            end=unambiguous(session.end),
            status=ICAL_STATUS.get(session.status, "CONFIRMED"),
            sequence=session.sequence,
            stamp=session.changed_at,
            created=session.created_at,
        )
