"""The booking domain's subject types: what the engine asks about bookings and agreements.

Registered in ``workflows.registry.subject_types`` from ``WorkflowsConfig.ready()``. Each
declares the states and transitions code fires by key (``protected_*``): saving a workflow that
removes or renames one is refused, and system check ``workflows.E002`` fails if a stored
workflow lacks one.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from workflows.enums import InputKind, Role, WorkflowSubject
from workflows.models.domain import Agreement, Booking
from workflows.models.engine import Case
from workflows.registry import ProtectedTransition, SubjectType, subject_types

_SUPERVISEE_CHANGES = "the supervisee's portal offers it on each upcoming session"


@subject_types.register
class BookingSubject(SubjectType):
    key = WorkflowSubject.BOOKING
    model = "workflows.Booking"
    protected_states = ("agreement_pending", "active")
    protected_transitions = (
        ProtectedTransition(
            "activate",
            source="agreement_pending",
            roles=(Role.SYSTEM,),
            why="the system takes it when both have signed the agreement",
        ),
        ProtectedTransition(
            "supervisee_cancels_session",
            roles=(Role.SUPERVISEE,),
            inputs=(InputKind.REASON,),
            actions=("cancel_session",),
            why=_SUPERVISEE_CHANGES,
        ),
        ProtectedTransition(
            "supervisee_asks_reschedule",
            roles=(Role.SUPERVISEE,),
            inputs=(InputKind.REASON,),
            actions=("request_reschedule",),
            why=_SUPERVISEE_CHANGES,
        ),
    )

    def booking(self, subject: Any) -> Booking:
        return subject

    def visible_subjects(self, user: Any) -> models.QuerySet[Any]:
        return Booking.objects.visible_to(user)


@subject_types.register
class AgreementSubject(SubjectType):
    key = WorkflowSubject.AGREEMENT
    model = "workflows.Agreement"
    protected_states = ("drafted",)
    protected_transitions = (
        ProtectedTransition(
            "supervisee_signs",
            source="drafted",
            roles=(Role.SUPERVISEE,),
            why="the supervisee signs through their emailed link",
        ),
        ProtectedTransition(
            "supervisor_signs",
            roles=(Role.SUPERVISOR,),
            actions=("sign_agreement", "confirm_sessions"),
            why="countersigning records the signature and confirms the sessions",
        ),
        ProtectedTransition(
            "request_review",
            roles=(Role.SUPERVISEE,),
            why="the supervisee asks for a review on the agreement page",
        ),
    )

    def booking(self, subject: Any) -> Booking:
        return subject.booking

    def visible_subjects(self, user: Any) -> models.QuerySet[Any]:
        return Agreement.objects.filter(booking__in=Booking.objects.visible_to(user))


def booking_of(case: Case) -> Booking | None:
    """The booking behind a case, as its registered subject type says (None if it has none)."""
    subject_type = subject_types.for_case(case)
    subject = case.subject
    if subject_type is None or subject is None:
        return None
    return subject_type.booking(subject)


def booking_case(booking: Booking) -> Case | None:
    """The booking's own case (the one its agreement and record cases hang from)."""
    return Case.objects.for_subject(booking).select_related("state", "workflow").first()
