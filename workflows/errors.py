"""The errors the workflow engine and the booking domain raise: a leaf module.

Every message is written for the person who acted and is safe to show them. Services, actions
and views import their errors from here, so no service has to import another module (or the
action registry) just to raise or catch one, and the import graph stays acyclic.
"""

from __future__ import annotations


class WorkflowError(Exception):
    """Base of the errors below; ``str(exc)`` is the readable message."""


class ActionError(WorkflowError):
    """An action could not run; the transition it belongs to is refused and rolled back."""


class TransitionError(WorkflowError):
    """A transition was refused (wrong state, role, missing input or a failed action)."""


class SchedulingError(ActionError):
    """A session cannot be booked, moved or cancelled as asked; the message says which and why."""


class BookingError(WorkflowError):
    """A booking request cannot be accepted as it is; the message says why."""
