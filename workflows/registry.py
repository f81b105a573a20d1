"""The engine's two registries: actions staff attach to transitions, and subject types.

Engine core: this module imports nothing of the booking domain (``import-linter`` enforces it,
see ``pyproject.toml``). Domain apps register into it from ``AppConfig.ready()``:

- **actions** (``registry``): a class each, with a stable ``key``, a label, an options block and
  an idempotent ``run``. The registry refuses non-actions and duplicate keys. The built-in
  actions are in ``workflows/actions.py``.
- **subject types** (``subject_types``): what a case can be about (a booking, an agreement, a
  session record). Each says, for its subjects, who the supervisor is, whose emailed link may act
  as the supervisee, which booking the case belongs to, and which states and transitions code
  relies on (``protected``), so staff cannot remove or rename them. This replaces the engine
  guessing the domain from attribute names.

The Transition model's StreamField of actions reads the registry lazily (``LazyStreamBlocks``),
when Django first builds the field's block, which is after every app's ``ready()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from wagtail import blocks

from workflows.enums import TokenPurpose
from workflows.errors import ActionError

if TYPE_CHECKING:
    from django.db import models

    from workflows.models.engine import Case, Transition


@dataclass
class ActionContext:
    """What an action's ``run`` gets: the case, the transition, who acted and what they gave."""

    case: Case
    transition: Transition
    actor: Any
    inputs: dict[str, Any]
    options: dict[str, Any]
    event: Any = None
    results: dict[str, Any] = field(default_factory=dict)


class Action:
    key: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str]
    #: Inputs the transition must ask for when this action is attached.
    needs_inputs: ClassVar[tuple[str, ...]] = ()
    #: Which workflow subjects this action makes sense for (empty: any).
    subjects: ClassVar[tuple[str, ...]] = ()
    #: Whether the step acts on one session the person chooses (its id in ``session_id``).
    needs_session: ClassVar[bool] = False

    @classmethod
    def options_block(cls) -> blocks.StructBlock:
        return blocks.StructBlock([], label=cls.label, help_text=cls.description)

    def run(self, ctx: ActionContext) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ActionRegistry:
    """Keyed action classes. Refuses non-actions and duplicate keys at registration time."""

    def __init__(self) -> None:
        self._actions: dict[str, type[Action]] = {}

    def register(self, action: type[Action]) -> type[Action]:
        if not (isinstance(action, type) and issubclass(action, Action)):
            raise TypeError(f"{action!r} is not an Action subclass.")
        key = getattr(action, "key", "")
        if not key or not key.replace("_", "").isalnum():
            raise ValueError(f"{action.__name__} needs a key of letters, digits and underscores.")
        if key in self._actions:
            raise ValueError(f"An action with the key '{key}' is already registered.")
        self._actions[key] = action
        return action

    def get(self, key: str) -> type[Action]:
        try:
            return self._actions[key]
        except KeyError:
            raise ActionError(f"There is no action called '{key}'.") from None

    def __contains__(self, key: object) -> bool:
        return key in self._actions

    def keys(self) -> list[str]:
        return list(self._actions)

    def items(self) -> list[tuple[str, type[Action]]]:
        return list(self._actions.items())

    def stream_blocks(self) -> list[tuple[str, blocks.Block]]:
        return [(key, action.options_block()) for key, action in self._actions.items()]


class LazyStreamBlocks:
    """The registry's blocks, read when Wagtail first iterates them (after apps are ready)."""

    def __init__(self, action_registry: ActionRegistry) -> None:
        self._registry = action_registry

    def __iter__(self) -> Iterator[tuple[str, blocks.Block]]:
        return iter(self._registry.stream_blocks())


registry = ActionRegistry()


def needs_chosen_session(transition: Any) -> bool:
    """Whether a transition acts on one session, so the person must say which."""
    return any(
        key in registry and registry.get(key).needs_session
        for key, _options in transition.action_specs()
    )


# --- subject types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProtectedTransition:
    """A transition code fires by key: it must exist, and keep these roles, inputs and actions.

    ``source`` names one source state it must start from ("" for any source).
    """

    key: str
    source: str = ""
    roles: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    #: Why code needs it, in the staff's words (shown when an edit is refused).
    why: str = ""


class SubjectType:
    """What cases of one ``WorkflowSubject`` are about; domain apps subclass and register it.

    ``model`` is the subject's ``"app_label.ModelName"``. The methods answer the questions the
    engine must not guess: who supervises, whose link may act as the supervisee, which booking
    the case belongs to (for emails and the admin).
    """

    key: ClassVar[str]
    model: ClassVar[str]
    #: State keys code reads (e.g. ``shared`` for "awaiting acknowledgement").
    protected_states: ClassVar[tuple[str, ...]] = ()
    protected_transitions: ClassVar[tuple[ProtectedTransition, ...]] = ()

    def booking(self, subject: Any) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def supervisor_user_id(self, subject: Any) -> int | None:
        booking = self.booking(subject)
        return booking.supervisor.user_id if booking is not None else None

    def supervisee_email(self, subject: Any) -> str:
        booking = self.booking(subject)
        return booking.supervisee_email if booking is not None else ""

    def visible_subjects(self, user: Any) -> models.QuerySet[Any] | None:
        """Subjects whose cases a user who is not service staff may see (None: staff only)."""
        return None

    def link_opens(self, link: Any, subject: Any) -> bool:
        """Whether a resolved emailed link may act as this subject's supervisee (portal links)."""
        return (
            link is not None
            and getattr(link, "purpose", "") == TokenPurpose.PORTAL
            and bool(link.usable)
            and link.email == self.supervisee_email(subject).strip().lower()
        )


class SubjectRegistry:
    """Subject types by ``WorkflowSubject`` key; one per key, one per model."""

    def __init__(self) -> None:
        self._types: dict[str, SubjectType] = {}

    def register(self, subject_type: type[SubjectType]) -> type[SubjectType]:
        if not (isinstance(subject_type, type) and issubclass(subject_type, SubjectType)):
            raise TypeError(f"{subject_type!r} is not a SubjectType subclass.")
        if subject_type.key in self._types:
            raise ValueError(f"A subject type '{subject_type.key}' is already registered.")
        self._types[subject_type.key] = subject_type()
        return subject_type

    def get(self, key: str) -> SubjectType | None:
        return self._types.get(key)

    def for_model(self, model: type[models.Model]) -> SubjectType | None:
        label = model._meta.label
        return next((t for t in self._types.values() if t.model == label), None)

    def for_case(self, case: Case) -> SubjectType | None:
        return self.get(case.workflow.subject)

    def items(self) -> list[tuple[str, SubjectType]]:
        return list(self._types.items())


subject_types = SubjectRegistry()
