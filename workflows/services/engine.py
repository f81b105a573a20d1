"""The workflow engine: validating configuration, starting cases and applying transitions."""

from __future__ import annotations

import json
from collections import deque
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from audit.services import log_event
from workflows.actions import ActionContext, ActionError, registry
from workflows.enums import InputKind, Role
from workflows.models import Case, CaseEvent, State, Transition, Workflow
from workflows.permissions import is_service_staff

#: ``from_state_key`` values with a special meaning.
ANY_OPEN_STATE = "*"
ON_CREATE = "new"


class TransitionError(Exception):
    """A transition was refused; the message is safe to show to the person who tried it."""


# --- configuration ----------------------------------------------------------------------------


def workflow_problems(workflow: Workflow) -> list[str]:
    """Everything wrong with a workflow's configuration, in plain words (empty if none)."""
    return configuration_problems(list(workflow.states.all()), list(workflow.transitions.all()))


def configuration_problems(states: list[State], transitions: list[Transition]) -> list[str]:
    """The checks themselves, on plain lists, so the admin form can run them before saving."""
    problems: list[str] = []
    keys = [s.key for s in states]
    by_key = {s.key: s for s in states}
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        problems.append(f"State keys must be unique: {', '.join(duplicates)}.")
    initial = [s for s in states if s.is_initial]
    if len(initial) != 1:
        problems.append(f"Exactly one state must be the starting state (found {len(initial)}).")
    for state in states:
        if state.is_initial and state.is_terminal:
            problems.append(f"The starting state '{state.key}' cannot also be final.")

    edges: dict[str, set[str]] = {k: set() for k in by_key}
    for t in transitions:
        name = f"Transition '{t.label or t.key}'"
        if t.to_state_key not in by_key:
            problems.append(f"{name} leads to an unknown state '{t.to_state_key}'.")
        if t.from_state_key == ON_CREATE:
            if initial and t.to_state_key != initial[0].key:
                problems.append(f"{name} runs on creation, so it must lead to the starting state.")
        elif t.from_state_key == ANY_OPEN_STATE:
            for k, s in by_key.items():
                if not s.is_terminal:
                    edges[k].add(t.to_state_key)
        elif t.from_state_key not in by_key:
            problems.append(f"{name} starts from an unknown state '{t.from_state_key}'.")
        else:
            if by_key[t.from_state_key].is_terminal:
                problems.append(f"{name} starts from '{t.from_state_key}', which is a final state.")
            edges[t.from_state_key].add(t.to_state_key)
        if not t.roles_allowed:
            problems.append(f"{name} has nobody allowed to make it.")
        for key, _options in t.action_specs():
            if key not in registry:
                problems.append(f"{name} uses an unknown action '{key}'.")
                continue
            for needed in registry.get(key).needs_inputs:
                if needed not in (t.inputs or []):
                    problems.append(
                        f"{name}: the action '{registry.get(key).label}' needs the input "
                        f"'{InputKind(needed).label}'; tick it under inputs."
                    )
    if len(initial) == 1:
        reached = {initial[0].key}
        queue = deque(reached)
        while queue:
            for nxt in edges.get(queue.popleft(), ()):
                if nxt in by_key and nxt not in reached:
                    reached.add(nxt)
                    queue.append(nxt)
        unreachable = [k for k in keys if k not in reached]
        if unreachable:
            problems.append(
                f"These states cannot be reached from the starting state: {', '.join(unreachable)}."
            )
    return problems


# --- roles ------------------------------------------------------------------------------------


def booking_of(case: Case) -> Any:
    """The booking behind any case (a booking, its agreement, or one of its session records)."""
    from workflows.models import Booking

    subject = case.subject
    if isinstance(subject, Booking):
        return subject
    if hasattr(subject, "booking"):
        return subject.booking
    if hasattr(subject, "session"):
        return subject.session.booking
    return None


def staff_roles(user: Any, case: Case) -> set[str]:
    """The roles a signed-in user holds on this case."""
    roles: set[str] = set()
    if user is None or not user.is_authenticated:
        return roles
    if is_service_staff(user):
        roles.add(Role.SERVICE_STAFF)
    booking = booking_of(case)
    if booking is not None and booking.supervisor.user_id == user.pk:
        roles.add(Role.SUPERVISOR)
    return roles


def available_transitions(case: Case, roles: set[str]) -> list[Transition]:
    return [
        t
        for t in case.workflow.transitions.all()
        if t.from_state_key not in (ON_CREATE,)
        and t.applies_to(case.state)
        and roles.intersection(t.roles_allowed)
    ]


# --- cases ------------------------------------------------------------------------------------


def _reference(prefix: str) -> str:
    import secrets

    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return prefix + "-" + "".join(secrets.choice(alphabet) for _ in range(6))


@transaction.atomic
def start_case(
    *, workflow: Workflow, subject: models.Model, actor: Any = None, reference: str = ""
) -> Case:
    """Open a case in the workflow's starting state and run its on-creation transitions."""
    initial = workflow.states.filter(is_initial=True).first()
    if initial is None:
        raise TransitionError(f"The workflow '{workflow}' has no starting state.")
    case = Case.objects.create(
        workflow=workflow,
        state=initial,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        reference=reference or _reference(workflow.slug[:3].upper()),
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
) -> Case:
    """Move a case along one transition, atomically.

    Checks the case is still in the source state (the row is locked, so two people pressing
    buttons at once cannot both succeed), that ``role`` may fire the transition and that the
    actor really holds that role, and that required inputs are present; then writes history,
    moves the case and runs the actions. Any failure rolls everything back and raises
    ``TransitionError``. Emails queued by actions are sent only after the commit.
    """
    inputs = dict(inputs or {})
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update().select_related("state", "workflow").get(pk=case.pk)
        )
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
        if role in (Role.SERVICE_STAFF, Role.SUPERVISOR) and role not in staff_roles(actor, locked):
            raise TransitionError("You are not allowed to do this on this case.")
        if InputKind.REASON in transition.inputs and not str(inputs.get("reason", "")).strip():
            raise TransitionError("Give a reason.")
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
