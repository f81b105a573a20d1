"""System checks on stored workflows: unknown actions (E001), missing protected steps (E002)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from workflows.configuration import protected_problems
from workflows.models.engine import Transition, Workflow
from workflows.registry import registry


@register(Tags.database)
def check_stored_actions(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    try:
        transitions = list(Transition.objects.select_related("workflow"))
    except DatabaseError:  # tables not migrated yet
        return []
    for transition in transitions:
        for key in transition.stored_action_keys():
            if key not in registry:
                errors.append(
                    Error(
                        f"Workflow '{transition.workflow}', step '{transition.label}' uses an "
                        f"unknown action '{key}'; the step is refused until it is edited.",
                        id="workflows.E001",
                    )
                )
    return errors


@register(Tags.database)
def check_protected_steps(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Each stored workflow keeps the states and transitions its subject's code relies on."""
    errors = []
    try:
        workflows = list(Workflow.objects.prefetch_related("states", "transitions"))
    except DatabaseError:  # tables not migrated yet
        return []
    for workflow in workflows:
        problems = protected_problems(
            workflow.subject, list(workflow.states.all()), list(workflow.transitions.all())
        )
        errors += [
            Error(
                f"Workflow '{workflow}': {problem}",
                hint="Restore it by editing the workflow in the admin (Workflows).",
                id="workflows.E002",
            )
            for problem in problems
        ]
    return errors
