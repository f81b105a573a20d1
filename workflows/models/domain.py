"""The booking domain: schools, bookings, agreements and sessions.

Prices and the policy revision are copied onto bookings, sessions and agreements when they are
made, so later edits to the rate card or the policy never rewrite history.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.search import index

from cms.models import format_price
from config.encryption import EncryptedTextField
from workflows.enums import Frequency, Role, SessionFormat, SessionStatus
from workflows.permissions import is_service_staff

urn_validator = RegexValidator(
    r"^\d{6}$", "A school URN is the 6-digit Unique Reference Number, e.g. 123456."
)


class School(index.Indexed, models.Model):
    name = models.CharField(max_length=200, help_text="The school or setting's name.")
    urn = models.CharField(
        "URN",
        max_length=6,
        unique=True,
        validators=[urn_validator],
        help_text="The 6-digit Unique Reference Number from Get Information About Schools.",
    )
    contact_email = models.EmailField(blank=True, help_text="The school office's email.")
    purchase_order = models.CharField(
        "purchase order / reference",
        max_length=60,
        blank=True,
        help_text="The school's purchase order number or invoice reference, printed on invoices.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    search_fields = [index.SearchField("name"), index.SearchField("urn")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"


class BookingQuerySet(models.QuerySet["Booking"]):
    def visible_to(self, user: Any) -> BookingQuerySet:
        """The one place that decides which bookings a signed-in user may see."""
        if user is None or not user.is_authenticated:
            return self.none()
        if is_service_staff(user):
            return self
        return self.filter(supervisor__user=user)

    def for_supervisee(self, email: str) -> BookingQuerySet:
        return self.filter(supervisee_email=email.strip().lower())


class Booking(index.Indexed, models.Model):
    """A school's request for supervision with a named supervisor, and everything that follows."""

    reference = models.CharField(max_length=20, unique=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="bookings")
    supervisee_name = models.CharField(max_length=120)
    supervisee_email = models.EmailField(db_index=True)
    supervisee_role = models.ForeignKey(
        "cms.AudienceRole", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    booker_name = models.CharField(
        max_length=120, blank=True, help_text="Who filled in the form, if not the supervisee."
    )
    booker_email = models.EmailField(
        blank=True, help_text="Gets a confirmation of the request; nothing else is sent there."
    )
    supervisor = models.ForeignKey(
        "cms.SupervisorPage", on_delete=models.PROTECT, related_name="bookings"
    )
    service = models.ForeignKey("cms.ServicePage", on_delete=models.PROTECT, related_name="+")
    format = models.CharField(max_length=20, choices=SessionFormat.choices)
    attendees = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    duration_minutes = models.PositiveSmallIntegerField()
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    preferred_times = EncryptedTextField(blank=True)
    preferred_location = EncryptedTextField(blank=True)
    price = models.DecimalField(
        max_digits=8, decimal_places=2, help_text="Price per session when the request was made."
    )
    extra_answers = EncryptedTextField(
        blank=True, help_text="Answers to questions editors added to the form (JSON, encrypted)."
    )
    form_page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = BookingQuerySet.as_manager()
    search_fields = [
        index.SearchField("reference"),
        index.SearchField("supervisee_name"),
        index.FilterField("supervisor_id"),
    ]

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Insights: requests received in a period.
            models.Index(fields=["created_at"], name="booking_created_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=60), name="booking_at_least_sixty_minutes"
            ),
            models.CheckConstraint(
                condition=Q(format="group") | Q(attendees=1), name="individual_booking_one_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.school.name} with {self.supervisor.title}"

    @property
    def price_label(self) -> str:
        return format_price(self.price, self.duration_minutes)


#: The fields a calendar shows: changing any of them is a new version of the event.
CALENDAR_FIELDS = frozenset({"start", "end", "location", "status"})


class SessionQuerySet(models.QuerySet["Session"]):
    def update(self, **kwargs: Any) -> int:
        """Bulk updates that touch a calendar field also raise ``sequence`` and ``changed_at``,
        so feeds and invites see the change whichever service made it."""
        if CALENDAR_FIELDS & kwargs.keys():
            kwargs.setdefault("sequence", models.F("sequence") + 1)
            kwargs.setdefault("changed_at", timezone.now())
        return super().update(**kwargs)

    def active(self) -> SessionQuerySet:
        return self.exclude(status=SessionStatus.CANCELLED)

    def visible_to(self, user: Any) -> SessionQuerySet:
        return self.filter(booking__in=Booking.objects.visible_to(user))


class Session(models.Model):
    """One supervision session. Never deleted: cancellation is a status."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="sessions")
    supervisor = models.ForeignKey(
        "cms.SupervisorPage", on_delete=models.PROTECT, related_name="sessions"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    location = EncryptedTextField(blank=True)
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.PROVISIONAL
    )
    price = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    cancellation_reason = EncryptedTextField(blank=True)
    cancelled_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it was cancelled (for late-cancellation charges).",
    )
    cancelled_by = models.CharField(
        max_length=30,
        blank=True,
        choices=Role.choices,
        help_text="Who cancelled it, by role (never a name).",
    )
    reschedule_requested_at = models.DateTimeField(null=True, blank=True)
    invoiced_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Calendar clients replace an event only when its SEQUENCE rises (RFC 5545 3.8.7.4), and
    # feeds use changed_at for ETag/Last-Modified. Both move on every change to CALENDAR_FIELDS.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    changed_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [
            # Insights: held or cancelled sessions in a time range, with their end and
            # supervisor so that hours per month and per supervisor come from the index alone.
            models.Index(
                fields=["status", "start", "end", "supervisor"], name="session_status_start_idx"
            ),
            # Insights: a booking's first held session, first booked session, and whether it
            # had one in or before a period (new schools, request to first session), each a
            # single look-up in this index.
            models.Index(
                fields=["booking", "status", "start", "created_at"],
                name="session_booking_status_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{local:%a %d %b %Y %H:%M} ({self.duration_minutes} min)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving an existing session's calendar fields is a new version (see ``sequence``)."""
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (update_fields is None or CALENDAR_FIELDS & set(update_fields)):
            self.sequence += 1
            self.changed_at = timezone.now()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence", "changed_at"}
        super().save(*args, **kwargs)

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class Agreement(models.Model):
    """The written supervision agreement, citing the policy revision in force when made."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="agreements")
    policy_page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy_version = models.CharField(max_length=40)
    terms = models.TextField(help_text="The agreement text as it was issued.")
    wording_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The revision of the agreement wording the terms were made from.",
    )
    review_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    supervisee_signed_name = models.CharField(max_length=120, blank=True)
    supervisee_signed_at = models.DateTimeField(null=True, blank=True)
    supervisor_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supervisor_signed_at = models.DateTimeField(null=True, blank=True)
    review_requested_at = models.DateTimeField(null=True, blank=True)
    review_requested_by = models.CharField(max_length=120, blank=True)
    review_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Agreement for {self.booking.reference}"

    @property
    def fully_signed(self) -> bool:
        return bool(self.supervisee_signed_at and self.supervisor_signed_at)


class AccessToken(models.Model):
    """A supervisee's emailed link. Only a hash is stored; the token itself is in the email."""

    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=30)
    # The one object a link of a narrower purpose opens (a record's id for record links).
    object_id = models.PositiveIntegerField(null=True, blank=True)
    email = models.EmailField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.purpose} link for {self.email}"

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
