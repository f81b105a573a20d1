"""Who may export what. The one place exports decide scope; exporters and views ask here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cms.models import SupervisorPage
from workflows.models import Booking, Session
from workflows.permissions import is_service_staff

EXPORT_ALL = "exports.export_all"


def exports_everything(user: Any) -> bool:
    """Service staff, and anyone given the "Can export" permission, export every row."""
    return bool(
        user is not None
        and user.is_authenticated
        and (is_service_staff(user) or user.has_perm(EXPORT_ALL))
    )


def is_supervisor(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and SupervisorPage.objects.filter(user=user).exists()
    )


def may_export(user: Any) -> bool:
    """May open the Exports screen at all: staff, "Can export", or a supervisor (own rows)."""
    return exports_everything(user) or is_supervisor(user)


def sessions_for(user: Any) -> QuerySet[Session]:
    """Sessions an export may hold: all, or a supervisor's own (those they run)."""
    if exports_everything(user):
        return Session.objects.all()
    if user is None or not user.is_authenticated:
        return Session.objects.none()
    return Session.objects.filter(supervisor__user=user)


def bookings_for(user: Any) -> QuerySet[Booking]:
    if exports_everything(user):
        return Booking.objects.all()
    if user is None or not user.is_authenticated:
        return Booking.objects.none()
    return Booking.objects.filter(supervisor__user=user)
