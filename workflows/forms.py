"""Forms at the edge: the public booking request, the supervisee's pages, admin steps."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.models import MINIMUM_SESSION_MINUTES, AudienceRole, Rate, ServicePage, SupervisorPage
from workflows.enums import Frequency, SessionFormat
from workflows.models.domain import urn_validator
from workflows.validators import validate_single_line

MAX_GROUP_SIZE = 12
MAX_TEXT = 1000


class BookingRequestForm(forms.Form):
    """The fields every booking needs; editors' extra questions are added after these."""

    school_name = forms.CharField(
        label="School or setting name", max_length=200, validators=[validate_single_line]
    )
    school_urn = forms.CharField(
        label="School URN",
        max_length=6,
        validators=[urn_validator, validate_single_line],
        help_text="The 6-digit Unique Reference Number, e.g. 123456.",
    )
    supervisee_name = forms.CharField(
        label="Name of the person who will be supervised",
        max_length=120,
        validators=[validate_single_line],
    )
    work_email = forms.EmailField(
        label="Their work email address",
        validators=[validate_single_line],
        help_text="We send the confirmation and links to the bookings here.",
    )
    role = forms.ModelChoiceField(
        label="Their role", queryset=AudienceRole.objects.all(), empty_label="Choose a role"
    )
    supervisor = forms.ModelChoiceField(
        label="Supervisor",
        queryset=SupervisorPage.objects.none(),
        empty_label="Choose a supervisor",
    )
    service = forms.ModelChoiceField(
        label="Service", queryset=ServicePage.objects.none(), empty_label="Choose a service"
    )
    format = forms.ChoiceField(
        label="Individual or group supervision",
        choices=SessionFormat.choices,
        widget=forms.RadioSelect,
        initial=SessionFormat.INDIVIDUAL,
    )
    attendees = forms.IntegerField(
        label="Number of people attending",
        min_value=1,
        max_value=MAX_GROUP_SIZE,
        initial=1,
        help_text="1 for individual supervision.",
    )
    duration_minutes = forms.TypedChoiceField(
        label="Session length", coerce=int, choices=[], widget=forms.RadioSelect
    )
    frequency = forms.ChoiceField(label="How often", choices=Frequency.choices)
    preferred_times = forms.CharField(
        label="Preferred days and times",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required: when the supervisee could meet, e.g. 'Tuesday or Thursday "
        "afternoons'.",
    )
    preferred_location = forms.CharField(
        label="Preferred location",
        max_length=MAX_TEXT,
        validators=[validate_single_line],
        help_text="A confidential setting free of interruption, chosen by the supervisee.",
    )
    booker_name = forms.CharField(
        label="Your name",
        required=False,
        max_length=120,
        validators=[validate_single_line],
        help_text="If you are booking for someone else, for example a head teacher booking for "
        "their DSL.",
    )
    booker_email = forms.EmailField(
        label="Your email address",
        required=False,
        validators=[validate_single_line],
        help_text="We send you a confirmation of the request (the links to the bookings go only "
        "to the supervisee).",
    )
    # Honeypot: hidden from people by CSS and aria-hidden, and out of the tab order (a focusable
    # control inside aria-hidden fails axe's aria-hidden-focus); bots fill it in.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = (
            SupervisorPage.objects.live().public().filter(accepting_bookings=True).order_by("title")
        )
        self.fields["service"].queryset = ServicePage.objects.live().public().order_by("title")
        lengths = sorted(set(Rate.objects.in_force().values_list("duration_minutes", flat=True)))
        self.fields["duration_minutes"].choices = [(m, f"{m} minutes") for m in lengths]
        if lengths:
            self.fields["duration_minutes"].initial = lengths[0]

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError("This form could not be sent.")
        return ""

    def clean_work_email(self) -> str:
        return self.cleaned_data["work_email"].strip().lower()

    def clean_booker_email(self) -> str:
        return self.cleaned_data.get("booker_email", "").strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        supervisor = data.get("supervisor")
        service = data.get("service")
        if supervisor and service and not supervisor.services.filter(pk=service.pk).exists():
            self.add_error(
                "service", f"{supervisor.title} does not offer this service. Choose another."
            )
        if data.get("format") == SessionFormat.INDIVIDUAL and data.get("attendees", 1) != 1:
            self.add_error("attendees", "Individual supervision is for one person.")
        if data.get("format") == SessionFormat.GROUP and data.get("attendees", 0) < 2:
            self.add_error("attendees", "A group session is for two or more people.")
        return data


class RequestLinkForm(forms.Form):
    email = forms.EmailField(label="Your work email address", validators=[validate_single_line])

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class SignAgreementForm(forms.Form):
    typed_name = forms.CharField(
        label="Type your full name to sign",
        max_length=120,
        min_length=2,
        validators=[validate_single_line],
    )
    confirm = forms.BooleanField(
        label="I have read the agreement and agree to its terms",
        error_messages={"required": "Tick the box to confirm you agree."},
    )

    def __init__(self, *args: Any, expected_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected_name = expected_name

    def clean_typed_name(self) -> str:
        name = " ".join(self.cleaned_data["typed_name"].split())
        if (
            self.expected_name
            and name.casefold() != " ".join(self.expected_name.split()).casefold()
        ):
            raise ValidationError(
                f"Type your name as it appears on the booking: {self.expected_name}."
            )
        return name


class SessionChangeForm(forms.Form):
    ACTIONS = [("cancel", "Cancel this session"), ("reschedule", "Ask to rearrange it")]
    action = forms.ChoiceField(
        choices=ACTIONS, widget=forms.RadioSelect, label="What would you like?"
    )
    reason = forms.CharField(
        label="Reason", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionSlotForm(forms.Form):
    """One session to schedule (or a new time for one) in the admin's workflow steps.

    The length and location start as the booking asked (``booking``) or as the session being
    moved has them (``session``). Because those defaults are the fields' initial values, a row
    left untouched is "unchanged" and an empty extra row is skipped rather than demanded.
    """

    # Browsers' date and time inputs take ISO values only, whatever the site's locale.
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.TypedChoiceField(
        label="Length", coerce=int, choices=[(60, "60 minutes"), (90, "90 minutes")]
    )
    location = forms.CharField(max_length=MAX_TEXT)

    def __init__(self, *args: Any, booking: Any = None, session: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lengths = sorted(set(Rate.objects.in_force().values_list("duration_minutes", flat=True)))
        if lengths:
            self.fields["duration_minutes"].choices = [(m, f"{m} minutes") for m in lengths]
        source = session or booking
        if source is not None:
            minutes = source.duration_minutes
            choices = [m for m, _label in self.fields["duration_minutes"].choices]
            if minutes in choices:
                self.fields["duration_minutes"].initial = minutes
            location = session.location if session is not None else booking.preferred_location
            self.fields["location"].initial = location
        if session is not None:
            local = timezone.localtime(session.start)
            self.fields["date"].initial = local.date()
            self.fields["start_time"].initial = local.time().replace(second=0, microsecond=0)

    def clean_duration_minutes(self) -> int:
        minutes = self.cleaned_data["duration_minutes"]
        if minutes < MINIMUM_SESSION_MINUTES:
            raise ValidationError("Sessions are at least 60 minutes long.")
        return minutes

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date") and data.get("start_time"):
            start = timezone.make_aware(datetime.datetime.combine(data["date"], data["start_time"]))
            if start <= timezone.now():
                raise ValidationError("A session cannot be scheduled in the past.")
            data["start"] = start
        return data


class BaseSessionSlotFormSet(forms.BaseFormSet):
    """Rows of sessions: the first is required, the others count only once someone edits them."""

    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": "Add at least one session: its date and start time.",
        "too_many_forms": "Move one session at a time.",
    }


SessionSlotFormSet = forms.formset_factory(
    SessionSlotForm,
    formset=BaseSessionSlotFormSet,
    extra=2,
    min_num=1,
    validate_min=True,
)
#: Moving one session: exactly one row, filled in with the session's current time and place.
MoveSessionFormSet = forms.formset_factory(
    SessionSlotForm,
    formset=BaseSessionSlotFormSet,
    extra=0,
    min_num=1,
    max_num=1,
    validate_min=True,
    validate_max=True,
)


class TransitionForm(forms.Form):
    """The inputs a transition asks for, built from its configuration."""

    comment = forms.CharField(
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Comment",
    )
    reason = forms.CharField(
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason",
    )
    review_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, inputs: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("comment", "reason", "review_date"):
            if name not in inputs:
                del self.fields[name]
        if "reason" in self.fields:
            self.fields["reason"].required = True
        if "review_date" in self.fields:
            self.fields["review_date"].required = True

    def clean_review_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("review_date")
        if value and value <= timezone.localdate():
            raise ValidationError("The review date must be in the future.")
        return value
