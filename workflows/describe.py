"""Each button of a workflow, told in plain English: who may press it, what they are asked, what
happens (which emails go to whom) and where the case goes.

Staff who configure a workflow think in these sentences, not in action keys and role codes.
The summaries are shown under each button in the workflow editor and beside the diagram. They
read a ``WorkflowDefinition`` only, so a draft can be described exactly like the live workflow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workflows.definition import ActionSpec, TransitionSpec, WorkflowDefinition
from workflows.enums import ANY_OPEN_STATE, ON_CREATE, InputKind, Recipient, Role
from workflows.registry import registry

#: Who may press a button, as a sentence fragment.
ROLE_WORDS: dict[str, str] = {
    Role.SERVICE_STAFF: "service staff",
    Role.SUPERVISOR: "the case's supervisor",
    Role.SUPERVISEE: "the supervisee, from their emailed link",
    Role.SYSTEM: "the system, automatically",
}
#: The same, short enough for an arrow in the diagram.
ROLE_SHORT: dict[str, str] = {
    Role.SERVICE_STAFF: "staff",
    Role.SUPERVISOR: "supervisor",
    Role.SUPERVISEE: "supervisee",
    Role.SYSTEM: "automatic",
}
RECIPIENT_WORDS: dict[str, str] = {
    Recipient.REQUESTER: "the supervisee",
    Recipient.SUPERVISOR: "the supervisor",
    Recipient.SERVICE_INBOX: "the service inbox",
    Recipient.BOOKER: "the person who booked (if not the supervisee)",
}
INPUT_WORDS: dict[str, str] = {
    InputKind.COMMENT: "an optional comment",
    InputKind.REASON: "a reason (they must give one)",
    InputKind.SESSIONS: "the sessions' dates, start times, lengths and places",
    InputKind.REVIEW_DATE: "a review date for the agreement",
}


def join_words(words: Iterable[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [w for w in words if w]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def who_short(roles: Iterable[str]) -> str:
    """'staff, supervisor' for an arrow; 'nobody' if the button has no one allowed."""
    return ", ".join(ROLE_SHORT.get(r, r) for r in roles) or "nobody"


@dataclass(frozen=True)
class WhatHappens:
    """One button's summary, as separate sentences a template lists."""

    label: str
    when: str
    who: str
    asked: str
    steps: tuple[str, ...]
    then: str

    @property
    def sentences(self) -> tuple[str, ...]:
        return (self.when, self.who, self.asked, *self.steps, self.then)

    def __str__(self) -> str:
        return " ".join(self.sentences)


def action_sentence(action: ActionSpec) -> str:
    """One step in plain words; an email says which one and to whom."""
    if action.key == "notify":
        recipients = [RECIPIENT_WORDS.get(r, r) for r in action.options.get("recipients") or []]
        name = f"“{action.email_name}”" if action.email_name else "an email"
        if not recipients:
            return f"Sends {name} to nobody yet: choose who receives it."
        return f"Emails {name} to {join_words(recipients)}."
    if action.key not in registry:
        return f"Runs “{action.key}”, which no longer exists: this button is refused until fixed."
    cls = registry.get(action.key)
    return f"{cls.label}: {cls.description}"


def what_happens(transition: TransitionSpec, definition: WorkflowDefinition) -> WhatHappens:
    """The plain-English summary of one button of ``definition``."""
    label = definition.state_label
    if transition.from_key == ON_CREATE:
        when = "Runs by itself when a new case is created."
    elif transition.from_key == ANY_OPEN_STATE:
        when = "Offered while the case is in any state that is not final."
    else:
        when = f"Offered while the case is “{label(transition.from_key)}”."
    roles = [ROLE_WORDS.get(r, r) for r in transition.roles]
    who = (
        f"Who may press it: {join_words(roles, 'or')}."
        if roles
        else "Nobody may press it yet: choose who may."
    )
    inputs = [INPUT_WORDS.get(i, i) for i in transition.inputs]
    asked = f"They are asked for {join_words(inputs)}." if inputs else "They are asked for nothing."
    steps = tuple(action_sentence(a) for a in transition.actions)
    if transition.from_key not in (ON_CREATE, ANY_OPEN_STATE) and (
        transition.to_key == transition.from_key
    ):
        then = f"The case stays “{label(transition.to_key)}”."
    else:
        then = f"The case then moves to “{label(transition.to_key)}”."
    return WhatHappens(
        label=transition.label,
        when=when,
        who=who,
        asked=asked,
        steps=steps or ("Nothing else happens: no emails are sent.",),
        then=then,
    )


def describe_workflow(definition: WorkflowDefinition) -> list[WhatHappens]:
    """Every button's summary, in the editor's order."""
    return [what_happens(t, definition) for t in definition.transitions]
