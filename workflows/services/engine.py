"""The workflow engine: starting cases and applying transitions. Engine core.

This module imports no domain module (bookings, agreements, records): what it must know about a
case's subject (who supervises it, whose emailed link may act for the supervisee) it asks the
subject type registered for the workflow's subject (``workflows.registry.subject_types``).

Roles are proven, not taken on the caller's word:

- service staff and supervisors by the signed-in user (``case_roles``);
- the supervisee by a resolved emailed link (``link=``) that the subject type accepts for
  this case;
- the system only outside web requests (tasks, commands: Django's ``request_started`` and
  ``request_finished`` signals tell this module when a request is being served), or as a
  follow-on step of a transition already being applied (inside its actions, or within
  ``follow_on_step`` in a service that chains one step after another in one transaction).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone

from audit.services import log_event
from workflows.configuration import all_problems, configuration_problems
from workflows.enums import ANY_OPEN_STATE, ON_CREATE, InputKind, Role
from workflows.errors import ActionError, TransitionError
from workflows.models.engine import Case, CaseEvent, State, Transition, Workflow
from workflows.permissions import is_service_staff
from workflows.references import new_reference
from workflows.registry import ActionContext, registry, subject_types

__all__ = [
    "ANY_OPEN_STATE",
    "ON_CREATE",
    "TransitionError",
    "apply_transition",
    "available_transitions",
    "case_roles",
    "configuration_problems",
    "follow_on_step",
    "run_as_system",
    "start_case",
    "system_task",
    "workflow_problems",
]

F = TypeVar("F", bound=Callable[..., Any])

#: True while system steps may run even inside a request: a follow-on step or a task.
_system_may_act: ContextVar[bool] = ContextVar("system_may_act", default=False)
#: True while this thread or task serves a web request.
_serving_request: ContextVar[bool] = ContextVar("serving_request", default=False)


@receiver(request_started, dispatch_uid="workflows.engine.request_started")
def _request_started(sender: Any, **kwargs: Any) -> None:
    _serving_request.set(True)


@receiver(request_finished, dispatch_uid="workflows.engine.request_finished")
def _request_finished(sender: Any, **kwargs: Any) -> None:
    _serving_request.set(False)


@contextlib.contextmanager
def run_as_system() -> Iterator[None]:
    """Let steps taken by the system (role ``system``) run, even while a request is served."""
    token = _system_may_act.set(True)
    try:
        yield
    finally:
        _system_may_act.reset(token)


#: The same permission, named for services that chain a system step right after a person's
#: step inside that step's transaction (e.g. "share" right after "submit").
follow_on_step = run_as_system


def system_task(func: F) -> F:
    """Decorate a django-q2 task entry point: the steps it takes may run as the system."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with run_as_system():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


# --- configuration ----------------------------------------------------------------------------


def workflow_problems(workflow: Workflow) -> list[str]:
    """Everything wrong with a workflow's configuration, in plain words (empty if none)."""
    return all_problems(
        workflow.subject, list(workflow.states.all()), list(workflow.transitions.all())
    )


# --- roles ------------------------------------------------------------------------------------


def case_roles(user: Any, case: Case) -> set[str]:
    """The roles a signed-in user holds on this case (service staff, the case's supervisor)."""
    roles: set[str] = set()
    if user is None or not getattr(user, "is_authenticated", False):
        return roles
    if is_service_staff(user):
        roles.add(Role.SERVICE_STAFF)
    subject_type = subject_types.for_case(case)
    subject = case.subject
    if (
        subject_type is not None
        and subject is not None
        and subject_type.supervisor_user_id(subject) == user.pk
    ):
        roles.add(Role.SUPERVISOR)
    return roles


def _prove_role(*, case: Case, role: str, actor: Any, link: Any, request: Any) -> None:
    """Refuse a role the caller cannot prove (see the module docstring)."""
    if role in (Role.SERVICE_STAFF, Role.SUPERVISOR):
        if role not in case_roles(actor, case):
            raise TransitionError("You are not allowed to do this on this case.")
    elif role == Role.SUPERVISEE:
        subject_type = subject_types.for_case(case)
        if subject_type is None or not subject_type.link_opens(link, case.subject):
            raise TransitionError(
                "This link cannot do that. Ask for a new link from the website and try again."
            )
    elif role == Role.SYSTEM:
        if request is not None or (_serving_request.get() and not _system_may_act.get()):
            raise TransitionError("This step is taken automatically by the system, not by hand.")
    else:
        raise TransitionError("You are not allowed to do this on this case.")


def available_transitions(case: Case, roles: set[str]) -> list[Transition]:
    return [
        t
        for t in case.workflow.transitions.all()
        if t.from_state_key not in (ON_CREATE,)
        and t.applies_to(case.state)
        and roles.intersection(t.roles_allowed)
    ]


# --- cases ------------------------------------------------------------------------------------


@transaction.atomic
def start_case(
    *,
    workflow: Workflow,
    subject: models.Model,
    actor: Any = None,
    reference: str = "",
    parent: Case | None = None,
) -> Case:
    """Open a case in the workflow's starting state and run its on-creation transitions.

    ``parent`` relates a case to the one it grew out of (an agreement's or a record's case to
    its booking's), by key: listings and feeds follow it, never matching references.
    """
    initial = workflow.states.filter(is_initial=True).first()
    if initial is None:
        raise TransitionError(f"The workflow '{workflow}' has no starting state.")
    case = Case.objects.create(
        workflow=workflow,
        state=initial,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        reference=reference or new_reference(workflow.slug[:3].upper()),
        parent=parent,
    )
    event = CaseEvent.objects.create(
        case=case,
        code="workflows.case.started",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_label(actor),
        actor_role=Role.SYSTEM if actor is None else Role.SERVICE_STAFF,
        to_state=initial.label,
    )
    for transition in workflow.transitions.filter(from_state_key=ON_CREATE):
        with run_as_system():  # on-creation steps are the engine's own, not a person's
            _run_actions(case=case, transition=transition, actor=actor, inputs={}, event=event)
    log_event(action="workflows.case.started", actor=actor, target=case)
    return case


def _label(actor: Any) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_full_name() or actor.get_username()


def _run_actions(
    *, case: Case, transition: Transition, actor: Any, inputs: dict[str, Any], event: CaseEvent
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    unknown = [key for key in transition.stored_action_keys() if key not in registry]
    if unknown:
        raise TransitionError(
            f"This step is misconfigured: it uses an unknown action '{unknown[0]}'. "
            "Ask an administrator to fix the workflow."
        )
    for key, options in transition.action_specs():
        if key not in registry:
            raise TransitionError(
                f"This step is misconfigured: it uses an unknown action '{key}'. "
                "Ask an administrator to fix the workflow."
            )
        ctx = ActionContext(
            case=case,
            transition=transition,
            actor=actor,
            inputs=inputs,
            options=options,
            event=event,
            results=results,
        )
        try:
            with run_as_system():  # follow-on steps an action takes (e.g. activate) may be system
                registry.get(key)().run(ctx)
        except ActionError as exc:
            raise TransitionError(str(exc)) from exc
    return results


def apply_transition(
    *,
    case: Case,
    transition_key: str,
    actor: Any,
    role: str,
    inputs: dict[str, Any] | None = None,
    request: Any = None,
    link: Any = None,
) -> Case:
    """Move a case along one transition, atomically.

    Checks the case is still in the source state (the row is locked, so two people pressing
    buttons at once cannot both succeed), that ``role`` may fire the transition and that the
    caller proves that role (module docstring: a signed-in user, the supervisee's ``link``,
    or a task for the system), and that required inputs are present; then writes history,
    moves the case and runs the actions. Any failure rolls everything back and raises
    ``TransitionError``. Emails queued by actions are sent only after the commit.
    """
    inputs = dict(inputs or {})
    with transaction.atomic():
        # Lock the case row alone, then read it with its state: on PostgreSQL a locking read
        # joined to the state loses the row (DoesNotExist) when a concurrent step has just
        # moved the case, instead of refusing the second step with a clear message.
        Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()
        locked = Case.objects.select_related("state", "workflow").get(pk=case.pk)
        transition = next(
            (
                t
                for t in locked.workflow.transitions.filter(key=transition_key)
                if t.applies_to(locked.state)
            ),
            None,
        )
        if transition is None:
            raise TransitionError(
                f"'{transition_key}' is not possible while the case is '{locked.state.label}'. "
                "Someone may have acted on it already; reload the page."
            )
        if role not in transition.roles_allowed:
            raise TransitionError("You are not allowed to do this on this case.")
        _prove_role(case=locked, role=role, actor=actor, link=link, request=request)
        if InputKind.REASON in transition.inputs and not str(inputs.get("reason", "")).strip():
            raise TransitionError("Give a reason.")
        if InputKind.REVIEW_DATE in transition.inputs and not inputs.get("review_date"):
            raise TransitionError("Give the review date.")
        if InputKind.SESSIONS in transition.inputs and not inputs.get("sessions"):
            raise TransitionError("Add at least one session.")
        target = State.objects.filter(workflow=locked.workflow, key=transition.to_state_key).first()
        if target is None:
            raise TransitionError("This step leads to a state that no longer exists.")
        from_label = locked.state.label
        event = CaseEvent.objects.create(
            case=locked,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=_label(actor),
            actor_role=role,
            transition_key=transition.key,
            transition_label=transition.label,
            from_state=from_label,
            to_state=target.label,
            comment=str(inputs.get("comment") or inputs.get("reason") or ""),
            inputs=json.dumps(_jsonable_inputs(inputs)),
        )
        if target.pk != locked.state_id:
            locked.state = target
            locked.state_entered_at = timezone.now()
            locked.sla_reminded_at = None
            locked.save(update_fields=["state", "state_entered_at", "sla_reminded_at"])
        _run_actions(case=locked, transition=transition, actor=actor, inputs=inputs, event=event)
        log_event(
            action="workflows.case.transitioned",
            actor=actor if not isinstance(actor, str) else None,
            actor_label=_label(actor) if isinstance(actor, str) else "",
            target=locked,
            request=request,
            data={
                "transition": transition.key,
                "from": from_label,
                "to": target.label,
                "role": role,
            },
        )
    case.refresh_from_db()
    return case


def _jsonable_inputs(inputs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in inputs.items():
        if key == "sessions":
            out[key] = [
                {
                    "start": s["start"].isoformat(),
                    "duration_minutes": s["duration_minutes"],
                    "location": s.get("location", ""),
                }
                for s in value
            ]
        elif hasattr(value, "isoformat"):
            out[key] = value.isoformat()
        else:
            out[key] = (
                value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
            )
    return out
