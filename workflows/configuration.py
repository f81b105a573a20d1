"""Checks on a workflow's configuration, in plain words: engine core, on plain lists.

The admin form runs them on the edited (unsaved) states and transitions before anything is
saved; ``Workflow.clean`` and the system checks run them on stored rows. They read only the
action and subject registries, never a domain module.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from workflows.enums import ANY_OPEN_STATE, ON_CREATE, InputKind, Role
from workflows.registry import registry, subject_types


def configuration_problems(states: list[Any], transitions: list[Any]) -> list[str]:
    """Structural problems: unique keys, one start, known states and actions, reachability."""
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


def protected_problems(subject: str, states: list[Any], transitions: list[Any]) -> list[str]:
    """The steps code relies on for this subject that the configuration lacks, each by name.

    A protected transition must exist under its key (from its declared source state, if any),
    still allow its declared roles, ask for its declared inputs and run its declared actions.
    """
    subject_type = subject_types.get(subject)
    if subject_type is None:
        return []
    problems: list[str] = []
    state_keys = {s.key for s in states}
    for key in subject_type.protected_states:
        if key not in state_keys:
            problems.append(
                f"The state '{key}' is needed by the system and cannot be removed or renamed "
                "(its key must stay the same)."
            )
    for spec in subject_type.protected_transitions:
        why = f" ({spec.why})" if spec.why else ""
        matches = [
            t for t in transitions if t.key == spec.key and spec.source in ("", t.from_state_key)
        ]
        if not matches:
            where = f" from the state '{spec.source}'" if spec.source else ""
            problems.append(
                f"The transition '{spec.key}'{where} is needed by the system{why} and cannot be "
                "removed or renamed (its key must stay the same)."
            )
            continue
        for t in matches:
            name = f"The transition '{t.label or t.key}' ({t.key})"
            missing_roles = [r for r in spec.roles if r not in (t.roles_allowed or [])]
            if missing_roles:
                labels = ", ".join(str(Role(r).label) for r in missing_roles)
                problems.append(f"{name} must stay open to: {labels}{why}.")
            missing_inputs = [i for i in spec.inputs if i not in (t.inputs or [])]
            if missing_inputs:
                labels = ", ".join(str(InputKind(i).label) for i in missing_inputs)
                problems.append(f"{name} must keep asking for: {labels}{why}.")
            present = {k for k, _options in t.action_specs()}
            missing_actions = [a for a in spec.actions if a not in present]
            if missing_actions:
                labels = ", ".join(
                    f"'{registry.get(a).label}'" if a in registry else f"'{a}'"
                    for a in missing_actions
                )
                problems.append(f"{name} must keep the step(s) {labels}{why}.")
    return problems


def all_problems(subject: str, states: list[Any], transitions: list[Any]) -> list[str]:
    return configuration_problems(states, transitions) + protected_problems(
        subject, states, transitions
    )
