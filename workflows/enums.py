"""Choices shared by the workflow engine and the booking domain."""

from django.db import models


class Role(models.TextChoices):
    """Who may act on a workflow step. Roles are checked against the case, not just the user."""

    SERVICE_STAFF = "service_staff", "Service staff"
    SUPERVISOR = "supervisor", "The case's supervisor"
    SUPERVISEE = "supervisee", "The supervisee (through their emailed link)"
    SYSTEM = "system", "The system (automatic steps)"


class Recipient(models.TextChoices):
    REQUESTER = "requester", "The supervisee who made the request"
    SUPERVISOR = "supervisor", "The supervisor"
    SERVICE_INBOX = "service_inbox", "The service inbox"
    BOOKER = "booker", "The person who booked, if not the supervisee (e.g. a head teacher)"


class InputKind(models.TextChoices):
    """What a transition asks the person acting for."""

    COMMENT = "comment", "An optional comment"
    REASON = "reason", "A reason (required)"
    SESSIONS = "sessions", "Sessions to schedule (date, start, length, location)"
    REVIEW_DATE = "review_date", "An agreement review date"


class SessionFormat(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GROUP = "group", "Group"


class Frequency(models.TextChoices):
    ONE_OFF = "one_off", "A single session"
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    HALF_TERMLY = "half_termly", "Once each half term"
    TERMLY = "termly", "Once each term"


class SessionStatus(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional (agreement not yet signed)"
    CONFIRMED = "confirmed", "Confirmed"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class WorkflowSubject(models.TextChoices):
    """Which kind of thing a workflow's cases are about."""

    BOOKING = "booking", "Booking request"
    AGREEMENT = "agreement", "Supervision agreement"
    SESSION_RECORD = "session_record", "Session record"


class TokenPurpose(models.TextChoices):
    """What an emailed link opens. A link opens only what it was sent for."""

    PORTAL = "portal", "Supervisee's bookings"
    RECORD = "record", "One session record"


#: ``Transition.from_state_key`` values with a special meaning: every open (non-final) state,
#: and "when the case is created".
ANY_OPEN_STATE = "*"
ON_CREATE = "new"
