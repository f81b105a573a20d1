"""The workflow engine's data: workflows, their states and transitions, cases and history.

Workflows are data that staff edit in the admin. A case is one run of a workflow for one
subject (a booking, an agreement, a session record). History rows are written by
``apply_transition`` only and never edited.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from config.encryption import EncryptedTextField
from workflows.configuration import all_problems
from workflows.enums import ANY_OPEN_STATE, InputKind, Recipient, Role, WorkflowSubject
from workflows.fields import ChoiceListField
from workflows.permissions import is_service_staff
from workflows.registry import LazyStreamBlocks, registry, subject_types
from workflows.templating import PLACEHOLDERS, placeholders_in

KEY_HELP = "A short code used by the system, letters, digits and underscores, e.g. 'submitted'."


def validate_key(value: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,59}", value or ""):
        raise ValidationError(
            "Use lower-case letters, digits and underscores, starting with a letter."
        )


class WorkflowAdminForm(WagtailAdminModelForm):
    """Checks the whole configuration, states and transitions together, before anything saves.

    The model's own ``clean`` only sees the saved child rows; this form sees the edited ones.
    """

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        children: dict[str, list[Any]] = {"states": [], "transitions": []}
        for name, model in (("states", State), ("transitions", Transition)):
            formset = self.formsets.get(name)
            if formset is None or not formset.is_valid():
                return cleaned
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None)
                if not data or data.get("DELETE"):
                    continue
                fields = {f.name for f in model._meta.get_fields()}
                children[name].append(model(**{k: v for k, v in data.items() if k in fields}))
        subject = cleaned.get("subject") or getattr(self.instance, "subject", "")
        for problem in all_problems(subject, children["states"], children["transitions"]):
            self.add_error(None, problem)
        return cleaned


class Workflow(index.Indexed, ClusterableModel):
    """A process staff configure: its states and the transitions between them."""

    base_form_class = WorkflowAdminForm

    name = models.CharField(max_length=120, help_text="E.g. 'Booking request'.")
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text="A fixed code other settings point at, e.g. 'booking-request'.",
    )
    subject = models.CharField(
        max_length=30,
        choices=WorkflowSubject.choices,
        help_text="What each case of this workflow is about.",
    )
    description = models.TextField(blank=True, help_text="Optional: what this process is for.")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("subject"),
        FieldPanel("description"),
        InlinePanel(
            "states",
            heading="States",
            label="State",
            help_text="Each step a case can be in. Exactly one is the starting state.",
        ),
        InlinePanel(
            "transitions",
            heading="Transitions",
            label="Transition",
            help_text="The buttons that move a case from one state to another, who may press "
            "them, what they ask for and what they do.",
        ),
    ]
    search_fields = [index.SearchField("name"), index.FilterField("subject")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        problems = self.problems()
        if problems:
            raise ValidationError(problems)

    def problems(self) -> list[str]:
        """Everything wrong with the stored configuration, protected steps included."""
        return all_problems(self.subject, list(self.states.all()), list(self.transitions.all()))

    @property
    def initial_state(self) -> State:
        return self.states.get(is_initial=True)


class State(Orderable):
    workflow = ParentalKey(Workflow, on_delete=models.CASCADE, related_name="states")
    key = models.CharField(max_length=60, validators=[validate_key], help_text=KEY_HELP)
    label = models.CharField(max_length=120, help_text="As people see it, e.g. 'Submitted'.")
    is_initial = models.BooleanField(
        default=False, help_text="Tick for the state every new case starts in (exactly one)."
    )
    is_terminal = models.BooleanField(
        default=False, help_text="Tick if a case in this state is finished (no way out)."
    )
    actor_roles = ChoiceListField(
        choice_list=Role,
        help_text="Who is expected to act next while a case is in this state.",
    )
    sla_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Optional: working days a case may wait here before it is flagged overdue.",
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("key")]),
        FieldRowPanel(
            [FieldPanel("is_initial"), FieldPanel("is_terminal"), FieldPanel("sla_days")]
        ),
        FieldPanel("actor_roles"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["workflow", "key"], name="state_key_unique_in_workflow")
        ]

    def __str__(self) -> str:
        return self.label


class Transition(Orderable):
    workflow = ParentalKey(Workflow, on_delete=models.CASCADE, related_name="transitions")
    key = models.CharField(max_length=60, validators=[validate_key], help_text=KEY_HELP)
    label = models.CharField(
        max_length=120, help_text="The button people press, e.g. 'Accept and schedule sessions'."
    )
    from_state_key = models.CharField(
        max_length=60,
        help_text="The key of the state this transition starts from, or '*' for every open "
        "(non-final) state, e.g. for cancellation.",
    )
    to_state_key = models.CharField(
        max_length=60, help_text="The key of the state this transition leads to."
    )
    roles_allowed = ChoiceListField(choice_list=Role, help_text="Who may press this button.")
    inputs = ChoiceListField(
        choice_list=InputKind, help_text="What the person is asked for when they press it."
    )
    actions = StreamField(
        LazyStreamBlocks(registry),
        blank=True,
        help_text="What happens, in order, when the transition is made. If any step fails, "
        "nothing changes.",
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("key")]),
        FieldRowPanel([FieldPanel("from_state_key"), FieldPanel("to_state_key")]),
        FieldPanel("roles_allowed"),
        FieldPanel("inputs"),
        FieldPanel("actions"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["workflow", "key", "from_state_key"],
                name="transition_key_unique_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.from_state_key} → {self.to_state_key})"

    def applies_to(self, state: State) -> bool:
        if self.from_state_key == ANY_OPEN_STATE:
            return not state.is_terminal
        return self.from_state_key == state.key

    def action_specs(self) -> list[tuple[str, dict[str, Any]]]:
        """(key, options) pairs in order, as currently held (possibly unsaved, from a form)."""
        specs = []
        for item in self.actions.raw_data:
            value = item.get("value") or {}
            specs.append((item.get("type", ""), value if isinstance(value, dict) else {}))
        return specs

    def stored_action_keys(self) -> list[str]:
        """Action keys as saved, including keys the code no longer knows.

        Wagtail drops unknown block types when it loads a StreamField, which would silently
        skip a step (say, an email) whose action was removed from the code. The stored JSON is
        read as text, bypassing that filter, so such a transition is refused, not half-run.
        """
        if self.pk is None:
            return [key for key, _ in self.action_specs()]
        stored = (
            Transition.objects.filter(pk=self.pk)
            .annotate(raw=Cast("actions", output_field=models.TextField()))
            .values_list("raw", flat=True)
            .first()
        )
        items = json.loads(stored) if stored else []
        if isinstance(items, str):  # some backends hand back the JSON text double-encoded
            items = json.loads(items)
        return [item.get("type", "") for item in items]


class EmailTemplate(index.Indexed, models.Model):
    """An email staff write. Placeholders like {{ reference }} are filled in when it is sent."""

    key = models.SlugField(
        max_length=60, unique=True, help_text="A fixed code, e.g. 'booking-received'."
    )
    name = models.CharField(max_length=120, help_text="What this email is, for staff.")
    subject = models.CharField(
        max_length=200, help_text="Subject line. Placeholders allowed, e.g. {{ reference }}."
    )
    body = models.TextField(
        help_text="Plain text. Placeholders: {{ reference }}, {{ school }}, {{ supervisee }}, "
        "{{ supervisor }}, {{ service }}, {{ state }}, {{ comment }}, {{ link }}, "
        "{{ sessions }}. Never put details of children in an email."
    )

    panels = [FieldPanel("name"), FieldPanel("key"), FieldPanel("subject"), FieldPanel("body")]
    search_fields = [index.SearchField("name"), index.SearchField("subject")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        unknown = (placeholders_in(self.subject) | placeholders_in(self.body)) - PLACEHOLDERS
        if unknown:
            raise ValidationError(
                f"Unknown placeholder(s): {', '.join(sorted(unknown))}. "
                f"Use: {', '.join(sorted(PLACEHOLDERS))}."
            )


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(state__is_terminal=False)

    def visible_to(self, user: Any) -> CaseQuerySet:
        """The one place that decides which cases a signed-in user may see in the admin.

        Service staff see every case; anyone else sees the cases whose subject their subject
        type lets them see (``SubjectType.visible_subjects``), matched by the workflow's subject
        key and the subject's id, never by a content type's name.
        """
        if user is None or not user.is_authenticated:
            return self.none()
        if is_service_staff(user):
            return self
        condition = models.Q(pk__in=[])
        for key, subject_type in subject_types.items():
            visible = subject_type.visible_subjects(user)
            if visible is not None:
                condition |= models.Q(workflow__subject=key, subject_id__in=visible.values("pk"))
        return self.filter(condition)

    def for_subject(self, obj: models.Model) -> CaseQuerySet:
        return self.filter(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)

    def for_subjects(self, model: type[models.Model], ids: list[int]) -> CaseQuerySet:
        """The cases of these subjects of one model, matched by content type key and id."""
        content_type = ContentType.objects.get_for_model(model)
        return self.filter(subject_type=content_type, subject_id__in=ids)


class Case(models.Model):
    """One run of a workflow for one subject."""

    workflow = models.ForeignKey(Workflow, on_delete=models.PROTECT, related_name="cases")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="cases")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    reference = models.CharField(max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The case this one grew out of (an agreement's or a record's booking case).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    state_entered_at = models.DateTimeField(default=timezone.now)
    sla_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workflow", "subject_type", "subject_id"], name="one_case_per_subject"
            )
        ]
        permissions = [("act_as_service_staff", "Can act on any case as service staff")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.state.label})"


class CaseEvent(models.Model):
    """One line of a case's history; written by the engine only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    code = models.CharField(max_length=80, default="workflows.case.transitioned")
    timestamp = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=255, blank=True)
    actor_role = models.CharField(max_length=30, choices=Role.choices)
    transition_key = models.CharField(max_length=60, blank=True)
    transition_label = models.CharField(max_length=120, blank=True)
    from_state = models.CharField(max_length=120, blank=True)
    to_state = models.CharField(max_length=120)
    comment = EncryptedTextField(blank=True)
    inputs = EncryptedTextField(blank=True, help_text="JSON of the inputs given, encrypted.")

    class Meta:
        ordering = ["timestamp", "id"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.from_state} → {self.to_state}"


class OutboundEmailQuerySet(models.QuerySet["OutboundEmail"]):
    def failed(self) -> OutboundEmailQuerySet:
        return self.filter(failed_at__isnull=False)

    def pending(self) -> OutboundEmailQuerySet:
        return self.filter(sent_at__isnull=True, failed_at__isnull=True)

    def sent(self) -> OutboundEmailQuerySet:
        return self.filter(sent_at__isnull=False)


class OutboundEmail(models.Model):
    """An email to send once. The unique key makes a retried task or a double click harmless.

    ``failed_at`` marks an email that will never be sent (a header the mail library refuses,
    or the last retry used up), with ``last_error`` saying why; staff see these under
    Reports → Outgoing emails.
    """

    idempotency_key = models.CharField(max_length=200, unique=True)
    case = models.ForeignKey(Case, null=True, on_delete=models.SET_NULL, related_name="emails")
    template_key = models.CharField(max_length=60)
    recipient_kind = models.CharField(max_length=30, choices=Recipient.choices)
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    # Files added by receivers of ``email_queued`` (e.g. calendar invites): a list of
    # {"filename", "content_type", "content", "params"}; text only, never record content.
    attachments = models.JSONField(default=list, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    # After a failed try: not before this time will the sweep try again (back-off).
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.template_key} to {self.to}"

    @property
    def status(self) -> str:
        if self.sent_at is not None:
            return "sent"
        return "failed" if self.failed_at is not None else "pending"
