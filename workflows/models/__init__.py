from workflows.models.domain import (
    AccessToken,
    Agreement,
    Booking,
    School,
    Session,
    urn_validator,
)
from workflows.models.engine import (
    Case,
    CaseEvent,
    EmailTemplate,
    OutboundEmail,
    State,
    Transition,
    Workflow,
)
from workflows.models.forms import BookingFormField, BookingFormPage
from workflows.models.wording import AgreementWording

__all__ = [
    "AccessToken",
    "Agreement",
    "AgreementWording",
    "Booking",
    "BookingFormField",
    "BookingFormPage",
    "Case",
    "CaseEvent",
    "EmailTemplate",
    "OutboundEmail",
    "School",
    "Session",
    "State",
    "Transition",
    "Workflow",
    "urn_validator",
]
