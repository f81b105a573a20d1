"""Sessions: scheduling without double-booking, cancelling, marking held and invoiced."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cms.models import MINIMUM_SESSION_MINUTES, Rate, SupervisorPage
from workflows.enums import SessionStatus
from workflows.errors import SchedulingError
from workflows.models.domain import Booking, Session
from workflows.signals import sessions_held


def _overlapping(supervisor_id: int, start: datetime.datetime, end: datetime.datetime) -> Any:
    return Session.objects.active().filter(
        supervisor_id=supervisor_id, start__lt=end, end__gt=start
    )


def schedule_sessions(*, booking: Booking, slots: list[dict[str, Any]]) -> list[Session]:
    """Book sessions for a booking's supervisor, refusing any overlap.

    Sessions are provisional until the agreement is signed by both sides, confirmed after.

    The supervisor's row is locked first, so concurrent schedulers for the same supervisor
    queue up and each sees the other's sessions before checking for overlap; on PostgreSQL an
    exclusion constraint backs this up. Each session is priced from the rate in force today.
    """
    with transaction.atomic():
        SupervisorPage.objects.select_for_update().filter(pk=booking.supervisor_id).first()
        now = timezone.now()
        agreed = booking.agreements.filter(supervisor_signed_at__isnull=False).exists()
        status = SessionStatus.CONFIRMED if agreed else SessionStatus.PROVISIONAL
        planned: list[tuple[datetime.datetime, datetime.datetime]] = []
        created = []
        for number, slot in enumerate(slots, start=1):
            start = slot["start"]
            minutes = int(slot["duration_minutes"])
            end = start + datetime.timedelta(minutes=minutes)
            label = f"Session {number} ({timezone.localtime(start):%d %b %Y %H:%M})"
            if minutes < MINIMUM_SESSION_MINUTES:
                raise SchedulingError(f"{label}: sessions are at least 60 minutes long.")
            if start <= now:
                raise SchedulingError(f"{label} is in the past.")
            rate = (
                Rate.objects.in_force()
                .filter(service_id=booking.service_id, duration_minutes=minutes)
                .first()
            )
            if rate is None:
                raise SchedulingError(f"{label}: there is no price for {minutes}-minute sessions.")
            if any(start < p_end and end > p_start for p_start, p_end in planned):
                raise SchedulingError(f"{label} overlaps another session in this list.")
            if _overlapping(booking.supervisor_id, start, end).exists():
                raise SchedulingError(
                    f"{label}: {booking.supervisor.title} already has a session at that time."
                )
            planned.append((start, end))
            try:
                with transaction.atomic():
                    created.append(
                        Session.objects.create(
                            booking=booking,
                            supervisor_id=booking.supervisor_id,
                            start=start,
                            end=end,
                            location=str(slot.get("location", "")).strip(),
                            price=rate.price,
                            status=status,
                        )
                    )
            except IntegrityError as exc:
                raise SchedulingError(
                    f"{label}: {booking.supervisor.title} already has a session at that time."
                ) from exc
    return created


def confirm_sessions(*, booking: Booking) -> int:
    return booking.sessions.filter(status=SessionStatus.PROVISIONAL).update(
        status=SessionStatus.CONFIRMED
    )


def cancel_future_sessions(*, booking: Booking, by: str = "") -> int:
    """Cancel every future session of the booking; ``by`` is the role that cancelled (insights)."""
    now = timezone.now()
    return booking.sessions.filter(
        start__gt=now, status__in=[SessionStatus.PROVISIONAL, SessionStatus.CONFIRMED]
    ).update(status=SessionStatus.CANCELLED, cancelled_at=now, cancelled_by=by)


def cancel_session(*, session: Session, reason: str, by: str = "") -> Session:
    """Cancel one upcoming session, keeping the reason, when and by which role (never a name)."""
    if session.status not in (SessionStatus.PROVISIONAL, SessionStatus.CONFIRMED):
        raise SchedulingError("This session cannot be cancelled: it is already held or cancelled.")
    if session.start <= timezone.now():
        raise SchedulingError("This session has already started; contact the team.")
    session.status = SessionStatus.CANCELLED
    session.cancellation_reason = reason
    session.cancelled_at = timezone.now()
    session.cancelled_by = by
    session.save(update_fields=["status", "cancellation_reason", "cancelled_at", "cancelled_by"])
    return session


def request_reschedule(*, session: Session) -> Session:
    if session.status not in (SessionStatus.PROVISIONAL, SessionStatus.CONFIRMED):
        raise SchedulingError("Only upcoming sessions can be rearranged.")
    session.reschedule_requested_at = timezone.now()
    session.save(update_fields=["reschedule_requested_at"])
    return session


def move_session(*, session: Session, slot: dict[str, Any]) -> Session:
    """Give one upcoming session a new start, length and place, refusing any overlap.

    Locks the supervisor's row like ``schedule_sessions`` so two moves cannot collide. The
    price stays as booked unless the length changes, when the rate in force today applies.
    """
    with transaction.atomic():
        SupervisorPage.objects.select_for_update().filter(pk=session.supervisor_id).first()
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status not in (SessionStatus.PROVISIONAL, SessionStatus.CONFIRMED):
            raise SchedulingError("Only upcoming sessions can be moved.")
        start = slot["start"]
        minutes = int(slot["duration_minutes"])
        end = start + datetime.timedelta(minutes=minutes)
        label = f"The new time ({timezone.localtime(start):%d %b %Y %H:%M})"
        if minutes < MINIMUM_SESSION_MINUTES:
            raise SchedulingError(f"{label}: sessions are at least 60 minutes long.")
        if start <= timezone.now():
            raise SchedulingError(f"{label} is in the past.")
        if minutes != session.duration_minutes:
            rate = (
                Rate.objects.in_force()
                .filter(service_id=session.booking.service_id, duration_minutes=minutes)
                .first()
            )
            if rate is None:
                raise SchedulingError(f"{label}: there is no price for {minutes}-minute sessions.")
            session.price = rate.price
        clash = _overlapping(session.supervisor_id, start, end).exclude(pk=session.pk)
        if clash.exists():
            raise SchedulingError(
                f"{label}: {session.booking.supervisor.title} already has a session at that time."
            )
        session.start, session.end = start, end
        session.location = str(slot.get("location", "")).strip()
        session.reschedule_requested_at = None
        session.reminded_at = None
        try:
            with transaction.atomic():
                session.save(
                    update_fields=[
                        "start",
                        "end",
                        "location",
                        "price",
                        "reschedule_requested_at",
                        "reminded_at",
                    ]
                )
        except IntegrityError as exc:
            raise SchedulingError(
                f"{label}: {session.booking.supervisor.title} already has a session at that time."
            ) from exc
    return session


def mark_past_sessions_held(*, booking: Booking, actor: Any = None) -> int:
    """Mark the booking's confirmed, ended sessions held and send ``sessions_held`` for them."""

    ended = booking.sessions.filter(end__lte=timezone.now(), status=SessionStatus.CONFIRMED)
    session_ids = list(ended.values_list("pk", flat=True))
    count = Session.objects.filter(pk__in=session_ids).update(status=SessionStatus.HELD)
    if session_ids:
        sessions_held.send(sender=Session, booking=booking, session_ids=session_ids, actor=actor)
    return count


def mark_invoiced(*, booking: Booking) -> int:
    return booking.sessions.filter(status=SessionStatus.HELD, invoiced_at=None).update(
        invoiced_at=timezone.now()
    )
