"""A workflow as plain, immutable data: what the diagram and the "what happens" summaries read.

The diagram and the summaries never touch the database themselves. They take a
``WorkflowDefinition``, which can be built from the live rows (``from_workflow``), from the
unsaved rows of an admin form (``from_rows``), or later from a stored draft or version, so the
same drawing can show a draft beside the live workflow without knowing where either came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ActionSpec:
    """One step a button runs: the action's key, its options, and a readable email name."""

    key: str
    options: Mapping[str, Any]
    #: For "send an email" steps: the template's name as staff see it ("" if none or unknown).
    email_name: str = ""


@dataclass(frozen=True)
class StateSpec:
    key: str
    label: str
    initial: bool = False
    final: bool = False


@dataclass(frozen=True)
class TransitionSpec:
    key: str
    label: str
    from_key: str
    to_key: str
    roles: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    actions: tuple[ActionSpec, ...] = ()


@dataclass(frozen=True)
class WorkflowDefinition:
    name: str
    states: tuple[StateSpec, ...]
    transitions: tuple[TransitionSpec, ...]

    def state(self, key: str) -> StateSpec | None:
        return next((s for s in self.states if s.key == key), None)

    def state_label(self, key: str) -> str:
        """A state's label for people; the key itself if the state is unknown."""
        state = self.state(key)
        return state.label if state is not None else key

    @property
    def initial(self) -> StateSpec | None:
        return next((s for s in self.states if s.initial), None)

    @classmethod
    def from_rows(
        cls,
        *,
        name: str,
        states: Iterable[Any],
        transitions: Iterable[Any],
        email_names: Mapping[int, str] | None = None,
    ) -> WorkflowDefinition:
        """From ``State``/``Transition``-like objects (saved rows or unsaved form instances).

        ``email_names`` maps email template ids to names, so "send an email" steps can say
        which email; without it they say "an email".
        """
        names = email_names or {}
        return cls(
            name=name,
            states=tuple(
                StateSpec(
                    key=s.key, label=s.label, initial=bool(s.is_initial), final=bool(s.is_terminal)
                )
                for s in states
            ),
            transitions=tuple(
                TransitionSpec(
                    key=t.key,
                    label=t.label,
                    from_key=t.from_state_key,
                    to_key=t.to_state_key,
                    roles=tuple(t.roles_allowed or ()),
                    inputs=tuple(t.inputs or ()),
                    actions=tuple(
                        ActionSpec(
                            key=key,
                            options=options,
                            email_name=names.get(_as_int(options.get("template")), ""),
                        )
                        for key, options in t.action_specs()
                    ),
                )
                for t in transitions
            ),
        )

    @classmethod
    def from_workflow(cls, workflow: Any) -> WorkflowDefinition:
        """From a saved workflow's live rows, in their editor order (three queries)."""
        from workflows.models.engine import EmailTemplate  # deferred: this module stays DB-free

        states = list(workflow.states.all())
        transitions = list(workflow.transitions.all())
        return cls.from_rows(
            name=workflow.name,
            states=states,
            transitions=transitions,
            email_names=email_names_for(transitions, EmailTemplate),
        )


def email_names_for(transitions: Iterable[Any], model: Any) -> dict[int, str]:
    """The names of the email templates these transitions send, by id, in one query."""
    ids = {
        _as_int(options.get("template"))
        for t in transitions
        for key, options in t.action_specs()
        if key == "notify"
    }
    ids.discard(None)
    if not ids:
        return {}
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
