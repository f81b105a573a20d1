"""The built-in actions staff attach to workflow transitions (the booking domain's building blocks).

Each is a class with a stable ``key``, a label, an options block (what staff set when they attach
it) and an idempotent ``run``, registered in ``workflows.registry.registry``. This module is
imported from ``WorkflowsConfig.ready()``, which fills the registry before any StreamField of
actions is built. Actions run inside ``apply_transition``'s transaction, so if one fails nothing
the transition did is kept.

To add an action: a class here (or in another app's ``actions.py`` imported from its
``ready()``) decorated with ``@registry.register``; see docs/architecture.md.
"""

from __future__ import annotations

from django import forms
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from workflows.enums import InputKind, Recipient
from workflows.errors import ActionError
from workflows.models.domain import Agreement, Session
from workflows.registry import Action, ActionContext, registry
from workflows.services.agreements import (
    activate_booking,
    create_agreement,
    record_supervisor_signature,
    set_review_date,
)
from workflows.services.notifications import queue_notification
from workflows.services.scheduling import (
    cancel_future_sessions,
    cancel_session,
    mark_invoiced,
    mark_past_sessions_held,
    move_session,
    request_reschedule,
    schedule_sessions,
)


def _acting_role(ctx: ActionContext) -> str:
    """The role the transition was made in (from its history row), for cancellation figures."""
    return str(getattr(ctx.event, "actor_role", "") or "")


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
        sessions = ctx.inputs.get(InputKind.SESSIONS) or []
        if not sessions:
            raise ActionError("Add at least one session to schedule.")
        schedule_sessions(booking=ctx.case.subject, slots=sessions)


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
        activate_booking(agreement=ctx.case.subject, actor=ctx.actor)


@registry.register
class RequestRecord(Action):
    key = "request_record"
    label = "Request the session record"
    description = "Marks past sessions as held and asks the supervisor for a record of each."
    subjects = ("booking",)

    def run(self, ctx: ActionContext) -> None:
        mark_past_sessions_held(booking=ctx.case.subject, actor=ctx.actor)


@registry.register
class CancelSessions(Action):
    key = "cancel_sessions"
    label = "Cancel future sessions"
    description = "Cancels every future session of the booking (they stay on record as cancelled)."
    subjects = ("booking",)

    def run(self, ctx: ActionContext) -> None:
        cancel_future_sessions(booking=ctx.case.subject, by=_acting_role(ctx))


@registry.register
class MarkInvoiced(Action):
    key = "mark_invoiced"
    label = "Mark held sessions invoiced"
    description = "Stamps every held, not yet invoiced session of the booking as invoiced today."
    subjects = ("booking",)

    def run(self, ctx: ActionContext) -> None:
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
        record_supervisor_signature(agreement=ctx.case.subject, user=ctx.actor)


@registry.register
class CancelOneSession(Action):
    key = "cancel_session"
    label = "Cancel the chosen session"
    description = "Cancels the one session chosen, keeping the reason given."
    subjects = ("booking",)
    needs_session = True

    def run(self, ctx: ActionContext) -> None:
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
        slots = ctx.inputs.get(InputKind.SESSIONS) or []
        if len(slots) != 1:
            raise ActionError("Give the session one new date and time.")
        move_session(session=_chosen_session(ctx), slot=slots[0])


@registry.register
class SetReviewDate(Action):
    key = "set_review_date"
    label = "Set the agreement's next review date"
    description = (
        "Sets the agreement's review date to the date entered in the step, so the review "
        "reminder is sent again before that date."
    )
    needs_inputs = (InputKind.REVIEW_DATE,)
    subjects = ("agreement",)

    def run(self, ctx: ActionContext) -> None:
        agreement = ctx.case.subject
        if not isinstance(agreement, Agreement):
            raise ActionError("Only an agreement has a review date.")
        set_review_date(agreement=agreement, review_date=ctx.inputs.get(InputKind.REVIEW_DATE))


def _chosen_session(ctx: ActionContext) -> Session:
    session = Session.objects.filter(
        pk=ctx.inputs.get("session_id"), booking=ctx.case.subject
    ).first()
    if session is None:
        raise ActionError("That session is not part of this booking.")
    return session
