"""The registry of actions staff attach to workflow transitions, and the actions themselves.

An action is a small, named, documented building block: a class with a stable ``key``, a label,
an options block (what staff set when they attach it) and an idempotent ``run``. Staff compose
actions in the admin; code defines them. Actions run inside ``apply_transition``'s transaction,
so if one fails nothing the transition did is kept.

The registry is filled when this module is imported (models import it to build the options
editor), rather than from ``AppConfig.ready()``: the admin's StreamField of actions needs the
block definitions when the model class is created.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from workflows.enums import InputKind, Recipient

if TYPE_CHECKING:
    from workflows.models import Case, Transition


def _acting_role(ctx: ActionContext) -> str:
    """The role the transition was made in (from its history row), for cancellation figures."""
    return str(getattr(ctx.event, "actor_role", "") or "")


class ActionError(Exception):
    """An action could not run; the message is shown to the person who acted."""


@dataclass
class ActionContext:
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


registry = ActionRegistry()


def _recipients_block() -> blocks.MultipleChoiceBlock:
    return blocks.MultipleChoiceBlock(
        choices=Recipient.choices,
        help_text="Who receives the email.",
        widget=forms.CheckboxSelectMultiple,
    )


@registry.register
class Notify(Action):
    key = "notify"
    label = "Send an email"
    description = (
        "Emails the chosen people using an email template. Emails go out after the step is "
        "saved, are retried if the mail server fails, and are never sent twice."
    )

    @classmethod
    def options_block(cls) -> blocks.StructBlock:
        return blocks.StructBlock(
            [
                ("template", SnippetChooserBlock("workflows.EmailTemplate")),
                ("recipients", _recipients_block()),
            ],
            label=cls.label,
            help_text=cls.description,
        )

    def run(self, ctx: ActionContext) -> None:
        from workflows.services.notifications import queue_notification

        template_id = ctx.options.get("template")
        recipients = ctx.options.get("recipients") or []
        if not template_id or not recipients:
            raise ActionError("The email step has no template or no recipients.")
        queue_notification(
            case=ctx.case, event=ctx.event, template_id=template_id, recipients=recipients
        )


@registry.register
class ScheduleSessions(Action):
    key = "schedule_sessions"
    label = "Schedule sessions"
    description = (
        "Books the sessions entered in the step (date, start time, length, location) at the "
        "price in force today. Sessions stay provisional until the agreement is signed by both."
    )
    needs_inputs = (InputKind.SESSIONS,)
    subjects = ("booking",)

    def run(self, ctx: ActionContext) -> None:
        from workflows.services.scheduling import schedule_sessions

        sessions = ctx.inputs.get(InputKind.SESSIONS) or []
        if not sessions:
            raise ActionError("Add at least one session to schedule.")
        schedule_sessions(booking=ctx.case.subject, slots=sessions, actor=ctx.actor)


@registry.register
class RequireAgreement(Action):
    key = "require_agreement"
    label = "Create the supervision agreement"
    description = (
        "Creates the written supervision agreement from the published supervision policy and "
        "the booking, and starts its signing workflow."
    )
    subjects = ("booking",)

    def run(self, ctx: ActionContext) -> None:
        from workflows.services.agreements import create_agreement

        create_agreement(booking=ctx.case.subject, actor=ctx.actor)


@registry.register
class ConfirmSessions(Action):
    key = "confirm_sessions"
    label = "Confirm provisional sessions"
    description = (
        "Once the agreement is signed by both sides, turns the booking's provisional sessions "
        "into confirmed ones and moves the booking to its active state."
    )
    subjects = ("agreement",)

    def run(self, ctx: ActionContext) -> None:
        from workflows.services.agreements import activate_booking

        activate_booking(agreement=ctx.case.subject, actor=ctx.actor)


@registry.register
class RequestRecord(Action):
    key = "request_record"
    label = "Request the session record"
    description = "Marks past sessions as held and asks the supervisor for a record of each."
    subjects = ("booking",)

    def run(self, ctx: ActionContext) -> None:
        from workflows.services.scheduling import mark_past_sessions_held

        mark_past_sessions_held(booking=ctx.case.subject, actor=ctx.actor)


@registry.register
class CancelSessions(Action):
    key = "cancel_sessions"
    label = "Cancel future sessions"
    description = "Cancels every future session of the booking (they stay on record as cancelled)."
    subjects = ("booking",)

    def run(self, ctx: ActionContext) -> None:
        from workflows.services.scheduling import cancel_future_sessions

        cancel_future_sessions(booking=ctx.case.subject, actor=ctx.actor, by=_acting_role(ctx))


@registry.register
class MarkInvoiced(Action):
    key = "mark_invoiced"
    label = "Mark held sessions invoiced"
    description = "Stamps every held, not yet invoiced session of the booking as invoiced today."
    subjects = ("booking",)

    def run(self, ctx: ActionContext) -> None:
        from workflows.services.scheduling import mark_invoiced

        ctx.results["invoiced"] = mark_invoiced(booking=ctx.case.subject)


@registry.register
class SignAgreement(Action):
    key = "sign_agreement"
    label = "Record the supervisor's signature"
    description = (
        "Records that the supervisor pressing the button signs the agreement, with the time. "
        "The supervisee signs through their emailed link."
    )
    subjects = ("agreement",)

    def run(self, ctx: ActionContext) -> None:
        from workflows.services.agreements import record_supervisor_signature

        record_supervisor_signature(agreement=ctx.case.subject, user=ctx.actor)


@registry.register
class CancelOneSession(Action):
    key = "cancel_session"
    label = "Cancel the chosen session"
    description = "Cancels the one session chosen, keeping the reason given."
    subjects = ("booking",)
    needs_session = True

    def run(self, ctx: ActionContext) -> None:
        from workflows.services.scheduling import cancel_session

        cancel_session(
            session=_chosen_session(ctx),
            reason=str(ctx.inputs.get("reason", "")),
            by=_acting_role(ctx),
        )


@registry.register
class FlagReschedule(Action):
    key = "request_reschedule"
    label = "Flag the chosen session for rearranging"
    description = "Marks the session the supervisee chose as needing a new time."
    subjects = ("booking",)
    needs_session = True

    def run(self, ctx: ActionContext) -> None:
        from workflows.services.scheduling import request_reschedule

        request_reschedule(session=_chosen_session(ctx))


@registry.register
class MoveOneSession(Action):
    key = "move_session"
    label = "Move the chosen session"
    description = (
        "Gives the one session chosen a new date, time, length or place (the first row of "
        "sessions entered in the step), without double-booking the supervisor, and clears any "
        "request to rearrange it."
    )
    needs_inputs = (InputKind.SESSIONS,)
    subjects = ("booking",)
    needs_session = True

    def run(self, ctx: ActionContext) -> None:
        from workflows.services.scheduling import move_session

        slots = ctx.inputs.get(InputKind.SESSIONS) or []
        if len(slots) != 1:
            raise ActionError("Give the session one new date and time.")
        move_session(session=_chosen_session(ctx), slot=slots[0])


def needs_chosen_session(transition: Any) -> bool:
    """Whether a transition acts on one session, so the person must say which."""
    return any(
        key in registry and registry.get(key).needs_session
        for key, _options in transition.action_specs()
    )


def _chosen_session(ctx: ActionContext) -> Any:
    from workflows.models import Session

    session = Session.objects.filter(
        pk=ctx.inputs.get("session_id"), booking=ctx.case.subject
    ).first()
    if session is None:
        raise ActionError("That session is not part of this booking.")
    return session
