"""A system check: stored workflow steps that use actions the code no longer defines."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def check_stored_actions(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from workflows.actions import registry
    from workflows.models import Transition

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
