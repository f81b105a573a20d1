"""The workflow editor in the service's words (Admin → Processes → Booking processes).

Staff who run the service, not developers, edit workflows. So the editor:

- offers a transition's "from" and "to" states as a choice of this workflow's states (with
  "any open state" and "when a case is created"), never a code typed by hand;
- labels every field in plain words ("Target working days", "The case is finished here",
  "Who may press it") with help text saying what it does;
- titles each collapsible panel by the state's name or the button's text, not "State 3";
- shows, under each button, what pressing it does in plain English (``workflows.describe``),
  and at the top the diagram of the saved workflow (``workflows.diagram``).

The models keep their fields; this module only shapes the admin around them, through the
snippet viewset's ``edit_handler`` (``workflows/wagtail_hooks.py``), so the engine's models
and services do not change for it. The whole-configuration check stays in
``WorkflowAdminForm`` (``workflows.models.engine``), which ``WorkflowEditorForm`` extends.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    Panel,
)

from workflows.definition import WorkflowDefinition, email_names_for
from workflows.describe import what_happens
from workflows.diagram import diagram_context
from workflows.enums import ANY_OPEN_STATE, ON_CREATE
from workflows.models import EmailTemplate, Workflow
from workflows.models.engine import WorkflowAdminForm

SPECIAL_SOURCES = [
    (ANY_OPEN_STATE, "Any open state (every state that is not final)"),
    (ON_CREATE, "When a case is created (runs by itself)"),
]
_STATE_FIELD = re.compile(r"^states-(\d+)-(key|label|DELETE)$")


def key_from_label(label: str) -> str:
    """A state code made from its name: 'Waiting for school' → 'waiting_for_school'."""
    key = slugify(label or "").replace("-", "_")
    key = re.sub(r"^[^a-z]+", "", key)[:60]
    return key or "state"


def state_choices(workflow: Workflow | None, data: Any = None) -> list[tuple[str, str]]:
    """(key, label) of this workflow's states: the saved ones, then any added in ``data``.

    States added in the same save (not yet stored) count, so a new state and the button that
    leads to it can be saved together; states ticked for deletion do not.
    """
    found: dict[str, str] = {}
    if workflow is not None and workflow.pk:
        found.update((s.key, s.label) for s in workflow.states.all())
    if data is not None:
        rows: dict[str, dict[str, str]] = {}
        for name in data:
            match = _STATE_FIELD.match(name)
            if match:
                rows.setdefault(match[1], {})[match[2]] = data.get(name)
        for row in rows.values():
            if row.get("DELETE"):
                found.pop(row.get("key") or "", None)
                continue
            key = row.get("key") or key_from_label(row.get("label", ""))
            if key:
                found[key] = row.get("label") or key
    return list(found.items())


class StateEditorForm(WagtailAdminModelForm):
    """One state: plain labels; the code may be left empty and is then made from the name."""

    LABELS = {
        "label": ("Name", "As people see it on a case, e.g. 'Waiting for the supervisor'."),
        "key": (
            "Code",
            "A fixed code the system uses (lower-case letters, digits and underscores). Leave "
            "it empty on a new state to make it from the name. Do not change it once cases "
            "use this state.",
        ),
        "is_initial": ("Every new case starts here", "Exactly one state starts cases."),
        "is_terminal": (
            "The case is finished here",
            "A finished case has no buttons, except those set to start from this state.",
        ),
        "actor_roles": ("Who acts next", "Who is expected to do something while a case is here."),
        "sla_days": (
            "Target: working days a case may wait here",
            "Leave empty for no target. A case waiting longer is reported to the service inbox.",
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].help_text = help_text
        if "key" in self.fields:
            self.fields["key"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("key") and cleaned.get("label"):
            cleaned["key"] = key_from_label(cleaned["label"])
            self.instance.key = cleaned["key"]
        return cleaned


class TransitionEditorForm(WagtailAdminModelForm):
    """One button: its states are chosen from this workflow's states, never typed."""

    LABELS = {
        "label": ("Button text", "What the button says, e.g. 'Accept and schedule sessions'."),
        "key": (
            "Code",
            "A fixed code the system uses (lower-case letters, digits and underscores). Some "
            "buttons are pressed by the system under their code: do not change those.",
        ),
        "roles_allowed": ("Who may press it", ""),
        "inputs": ("What they are asked", "Shown to the person as a form when they press it."),
        "actions": (
            "What happens, in order",
            "If any step fails, nothing changes and the person is told why.",
        ),
    }

    def __init__(self, *args: Any, state_choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
                if help_text:
                    self.fields[name].help_text = help_text
        states = list(state_choices or [])
        current = {self.instance.from_state_key, self.instance.to_state_key} - {"", None}
        known = {key for key, _ in states} | {key for key, _ in SPECIAL_SOURCES}
        # A stored key that is no longer a state stays visible, so the error names it.
        unknown = [(key, f"{key} (not a state of this workflow)") for key in current - known]
        self.fields["from_state_key"] = forms.ChoiceField(
            label="Shown while the case is in",
            choices=[("", "Choose a state"), *states, *SPECIAL_SOURCES, *unknown],
            help_text="The state in which this button is offered. A state added above "
            "appears in this list once you save.",
        )
        self.fields["to_state_key"] = forms.ChoiceField(
            label="Then the case moves to",
            choices=[("", "Choose a state"), *states, *unknown],
            help_text="Choose the same state to keep the case where it is.",
        )


class WhatHappensPanel(Panel):
    """Under a button in the editor: what pressing it does, from its saved configuration."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflows/admin/panels/what_happens.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            transition = self.instance
            summary = None
            if transition is not None and transition.pk:
                summary = _saved_summaries(self.request, transition.workflow).get(transition.pk)
            context["summary"] = summary
            return context


def _saved_summaries(request: Any, workflow: Workflow) -> dict[int, Any]:
    """Every saved button's summary by id, built once per request (not once per button)."""
    cache = getattr(request, "_workflow_summaries", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._workflow_summaries = cache
    if workflow.pk not in cache:
        transitions = list(workflow.transitions.all())
        definition = WorkflowDefinition.from_rows(
            name=workflow.name,
            states=workflow.states.all(),
            transitions=transitions,
            email_names=email_names_for(transitions, EmailTemplate),
        )
        cache[workflow.pk] = {
            t.pk: what_happens(spec, definition)
            for t, spec in zip(transitions, definition.transitions, strict=True)
        }
    return cache[workflow.pk]


class DiagramPanel(Panel):
    """The saved workflow drawn as a diagram, with every button in words."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflows/admin/panels/diagram.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            workflow = self.instance
            context["diagram"] = (
                diagram_context(WorkflowDefinition.from_workflow(workflow), id_prefix="editor")
                if workflow is not None and workflow.pk
                else None
            )
            return context


class LabelledInlinePanel(InlinePanel):
    """An InlinePanel whose children are titled by their own label, with a plain-words form.

    ``child_form`` is the form class for each child; ``inherit`` names attributes of the parent
    form handed to every child form (modelcluster's ``inherit_kwargs``), e.g. the state choices.
    """

    def __init__(
        self,
        *args: Any,
        child_form: type[forms.ModelForm] | None = None,
        inherit: tuple[str, ...] = (),
        new_title: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.child_form = child_form
        self.inherit = inherit
        self.new_title = new_title

    def clone_kwargs(self) -> dict[str, Any]:
        kwargs = super().clone_kwargs()
        kwargs.update(child_form=self.child_form, inherit=self.inherit, new_title=self.new_title)
        return kwargs

    def get_form_options(self) -> dict[str, Any]:
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        if self.child_form is not None:
            formset["form"] = self.child_form
        if self.inherit:
            formset["inherit_kwargs"] = list(self.inherit)
        return options

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "workflows/admin/panels/labelled_inline_panel.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            context["new_title"] = self.panel.new_title or f"New {self.label}"
            context["titled_children"] = [
                (child, self.child_title(child.form)) for child in self.children
            ]
            return context

        def child_title(self, form: forms.ModelForm) -> str:
            """The child's own label; a button adds where it goes, e.g. 'Decline (Submitted →
            Declined)'."""
            title = str(form["label"].value() or "") if "label" in form.fields else ""
            if "from_state_key" in form.fields and "to_state_key" in form.fields:
                names = dict(form.fields["from_state_key"].choices)
                names[ANY_OPEN_STATE] = "any open state"
                names[ON_CREATE] = "new case"
                source = form["from_state_key"].value() or ""
                target = form["to_state_key"].value() or ""
                if source and target:
                    title += f" ({names.get(source, source)} → {names.get(target, target)})"
            return title or self.panel.new_title or f"New {self.label}"


class WorkflowEditorForm(WorkflowAdminForm):
    """The workflow form; hands this workflow's states to each button's form as choices."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = kwargs.get("data", args[0] if args else None)
        self.state_choices = state_choices(kwargs.get("instance"), data)
        super().__init__(*args, **kwargs)


STATE_PANELS = [
    FieldRowPanel([FieldPanel("label"), FieldPanel("key")]),
    FieldRowPanel([FieldPanel("is_initial"), FieldPanel("is_terminal")]),
    FieldPanel("sla_days"),
    FieldPanel("actor_roles"),
]
TRANSITION_PANELS = [
    WhatHappensPanel(),
    FieldRowPanel([FieldPanel("label"), FieldPanel("key")]),
    FieldRowPanel([FieldPanel("from_state_key"), FieldPanel("to_state_key")]),
    FieldPanel("roles_allowed"),
    FieldPanel("inputs"),
    FieldPanel("actions"),
]

workflow_edit_handler = ObjectList(
    [
        FieldPanel("name", heading="Name"),
        FieldPanel("slug", heading="Code"),
        FieldPanel("subject", heading="Each case is about"),
        FieldPanel("description", heading="What this process is for"),
        # No panel heading: the diagram titles itself, and one fewer entry keeps Wagtail's
        # side minimap short enough not to scroll (a scrolling minimap fails axe-core).
        DiagramPanel(),
        LabelledInlinePanel(
            "states",
            heading="States",
            label="state",
            new_title="New state",
            child_form=StateEditorForm,
            panels=STATE_PANELS,
            help_text="Each step a case can be in. Exactly one is where new cases start.",
        ),
        LabelledInlinePanel(
            "transitions",
            heading="Buttons",
            label="button",
            new_title="New button",
            child_form=TransitionEditorForm,
            inherit=("state_choices",),
            panels=TRANSITION_PANELS,
            help_text="The buttons that move a case from one state to another: who may press "
            "them, what they are asked and what happens.",
        ),
    ],
    base_form_class=WorkflowEditorForm,
)
