"""Forms at the edge: the record (fixed parts + editors' questions), its actions, addenda.

Forms validate what one request sent and turn it into a ``RecordContent``; the rules that must
hold whatever the caller (required parts, owners) are checked again by the services.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.contrib.forms.forms import FormBuilder

from cms.models import AudienceRole, SignpostRoute, Topic
from records.enums import ActionOwner
from records.models import RecordFormSettings, SessionRecord
from records.services import AgreedAction, RecordContent

MAX_TEXT = 10_000
MAX_SHORT = 500
QUESTION_PREFIX = "q_"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _choices(current: list[str], stored: list[str]) -> list[tuple[str, str]]:
    """Today's options plus any stored value no longer offered (a renamed topic, say)."""
    values = list(current) + [v for v in stored if v not in current]
    return [(v, v) for v in values]


class RecordForm(forms.Form):
    """The fixed parts of a record; editors' questions are appended as ``q_<name>`` fields.

    With ``submitting=False`` (saving a draft) every part is optional; submitting requires who
    attended, at least one topic, the reflections and every question marked required.
    """

    attendee_roles = forms.MultipleChoiceField(
        label="Who attended, by role",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick the roles of the people supervised. The supervisor is always present.",
    )
    other_attendees = forms.CharField(
        label="Anyone else present, by role",
        required=False,
        max_length=MAX_SHORT,
        help_text="For example 'Deputy DSL'. Roles only, never names.",
    )
    topics = forms.MultipleChoiceField(
        label="Topics discussed", required=False, widget=forms.CheckboxSelectMultiple
    )
    signposting = forms.MultipleChoiceField(
        label="Signposting given",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Subjects raised that are outside supervision, and where they were sent.",
    )
    reflections = forms.CharField(
        label="Reflections",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="The discussion and the supervisee's reflections. Anonymise every child: "
        "use 'Child A', 'a Year 6 pupil', never a name, date of birth, address or number.",
    )
    next_session_date = forms.DateField(
        label="Next session date", required=False, widget=DateInput()
    )

    def __init__(
        self,
        *args: Any,
        record: SessionRecord,
        submitting: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", initial_for(record))
        super().__init__(*args, **kwargs)
        self.record = record
        self.submitting = submitting
        self.fields["attendee_roles"].choices = _choices(
            list(AudienceRole.objects.values_list("name", flat=True)), record.attendee_list
        )
        self.fields["topics"].choices = _choices(
            list(Topic.objects.values_list("name", flat=True)), record.topic_list
        )
        self.fields["signposting"].choices = _choices(
            [str(r) for r in SignpostRoute.objects.all()], record.signposting_list
        )
        self.questions = list(RecordFormSettings.load().questions.all())
        self.question_required: dict[str, bool] = {}
        for name, field in FormBuilder(self.questions).formfields.items():
            key = QUESTION_PREFIX + name
            self.question_required[key] = field.required
            field.required = False
            self.fields[key] = field

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.question_required]

    def clean_next_session_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("next_session_date")
        held_on = timezone.localtime(self.record.session.start).date()
        if value is not None and value <= held_on:
            raise ValidationError("The next session must be after this one.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.submitting:
            return data
        if not data.get("attendee_roles") and not (data.get("other_attendees") or "").strip():
            self.add_error("attendee_roles", "Say who attended, by role.")
        if not data.get("topics"):
            self.add_error("topics", "Tick at least one topic discussed.")
        if not (data.get("reflections") or "").strip():
            self.add_error("reflections", "Write the reflections.")
        for name, required in self.question_required.items():
            if required and data.get(name) in (None, "", []):
                self.add_error(name, "Answer this question.")
        return data

    def answers(self) -> list[dict[str, str]]:
        answers = []
        by_name = {QUESTION_PREFIX + q.clean_name: q for q in self.questions}
        for name in self.question_required:
            question = by_name[name]
            value = self.cleaned_data.get(name)
            if isinstance(value, list):
                text = ", ".join(str(v) for v in value)
            elif isinstance(value, bool):
                text = "Yes" if value else "No"
            elif hasattr(value, "isoformat"):
                text = value.isoformat()
            else:
                text = "" if value is None else str(value).strip()
            answers.append(
                {
                    "name": question.clean_name,
                    "label": question.label,
                    "type": question.field_type,
                    "answer": text,
                }
            )
        return [a for a in answers if a["answer"]]


def initial_for(record: SessionRecord) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "attendee_roles": record.attendee_list,
        "other_attendees": record.other_attendees,
        "topics": record.topic_list,
        "signposting": record.signposting_list,
        "reflections": record.reflections,
        "next_session_date": record.next_session_date,
    }
    role = record.session.booking.supervisee_role
    if record.draft_saved_at is None and role is not None:
        initial["attendee_roles"] = [role.name]  # a new record: the booked supervisee's role
    for answer in record.answer_list:
        value: Any = answer["answer"]
        if answer.get("type") in ("checkboxes", "multiselect"):
            value = value.split(", ")
        elif answer.get("type") == "checkbox":
            value = value == "Yes"
        initial[QUESTION_PREFIX + answer["name"]] = value
    return initial


class ActionForm(forms.Form):
    """One agreed action. A row left wholly empty is ignored; a started row needs every part."""

    description = forms.CharField(
        label="Action", required=False, max_length=MAX_SHORT, widget=forms.Textarea({"rows": 2})
    )
    owner = forms.ChoiceField(
        label="Who will do it",
        required=False,
        choices=[("", "Choose who"), *ActionOwner.choices],
    )
    due_date = forms.DateField(label="By when", required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        started = any(data.get(n) for n in ("description", "owner", "due_date"))
        if not started:
            return data
        if not (data.get("description") or "").strip():
            self.add_error("description", "Describe the action.")
        if not data.get("owner"):
            self.add_error("owner", "Choose who owns this action: every action needs an owner.")
        if not data.get("due_date"):
            self.add_error("due_date", "Give a date the action is due.")
        return data


ActionFormSet = forms.formset_factory(ActionForm, extra=2, max_num=20, validate_max=True)


def action_formset(data: Any, record: SessionRecord) -> Any:
    """The actions formset: the stored actions when showing the form, the posted rows after.

    Posted rows are read without ``initial``: with it, a row equal to a stored action would
    count as unchanged and be dropped as an empty extra form.
    """
    if data is not None:
        return ActionFormSet(data, prefix="actions")
    initial = [
        {"description": a.description, "owner": a.owner, "due_date": a.due_date}
        for a in record.actions.all()
    ]
    return ActionFormSet(initial=initial, prefix="actions")


def content_from(form: RecordForm, formset: Any) -> RecordContent:
    """The cleaned form and formset as the services' input."""
    data = form.cleaned_data
    actions = [
        AgreedAction(
            description=f.cleaned_data["description"].strip(),
            owner=f.cleaned_data["owner"],
            due_date=f.cleaned_data["due_date"],
        )
        for f in formset
        if f.cleaned_data
        and any(f.cleaned_data.get(n) for n in ("description", "owner", "due_date"))
    ]
    return RecordContent(
        attendees=list(data.get("attendee_roles") or []),
        other_attendees=data.get("other_attendees") or "",
        topics=list(data.get("topics") or []),
        signposting=list(data.get("signposting") or []),
        reflections=data.get("reflections") or "",
        answers=form.answers(),
        next_session_date=data.get("next_session_date"),
        actions=actions,
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A correction or addition. The record itself does not change; the supervisee "
        "is told and asked to acknowledge again. Anonymise every child.",
    )


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have received this record and will keep my copy securely",
        error_messages={"required": "Tick the box to confirm you have received the record."},
    )
