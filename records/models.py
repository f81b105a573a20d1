"""Session records: what was discussed in one supervision session, written by its supervisor.

A record is requested when its session is marked held, drafted and submitted by the session's
supervisor, then shared with the supervisee, who acknowledges it. Its workflow runs as a
``workflows.Case`` (the "Session record" workflow); this module holds the content.

Every piece of content is free text that may hold sensitive detail, so it is encrypted at rest
(``EncryptedTextField``), including the ticked topics and signposting routes: a signposting to
counselling says something about a person. The ticked labels are copied as text rather than
linked, so renaming or deleting a topic later never rewrites a submitted record.

A submitted record is immutable: saving changed content raises ``RecordImmutable`` and so does
``QuerySet.update`` on content columns. The only exception is the retention clean-up, which
blanks content inside ``content_removal_allowed()``.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from config.encryption import EncryptedTextField
from records.enums import ActionOwner
from workflows.permissions import is_service_staff

#: The columns that make up a record's content; frozen once the record is submitted.
CONTENT_FIELDS = (
    "attendees",
    "other_attendees",
    "topics",
    "signposting",
    "reflections",
    "answers",
    "next_session_date",
)

_content_removal_allowed: ContextVar[bool] = ContextVar("content_removal_allowed", default=False)


class RecordImmutable(Exception):
    """Someone tried to change a submitted record. Corrections are addenda."""


@contextlib.contextmanager
def content_removal_allowed() -> Iterator[None]:
    """Let the retention clean-up blank submitted content. Used by ``apply_retention`` only."""
    token = _content_removal_allowed.set(True)
    try:
        yield
    finally:
        _content_removal_allowed.reset(token)


def _lines(value: str) -> list[str]:
    return [line for line in (value or "").splitlines() if line.strip()]


# --- The configurable part of the form ---------------------------------------------------------


@register_setting(icon="doc-full")
class RecordFormSettings(BaseGenericSetting, ClusterableModel):
    """The reflective questions editors add to every session record, in order.

    The fixed parts (attendees, topics, signposting, reflections, actions, next session) are
    always asked; these questions come after them. Answers are stored with the question text as
    it was, so editing a question later does not change records already written.
    """

    guidance = models.TextField(
        blank=True,
        default="Write in roles, not names. Never include a child's name, date of birth, "
        "address or any number that could identify them.",
        help_text="Shown to supervisors at the top of every record form.",
    )

    panels = [
        FieldPanel("guidance"),
        InlinePanel(
            "questions",
            label="Reflective question",
            heading="Reflective questions",
            help_text="Asked after the fixed parts of the record. Drag to reorder.",
        ),
    ]

    class Meta:
        verbose_name = "session record form"


class RecordQuestion(AbstractFormField):
    """One reflective question (any Wagtail form field type)."""

    form_settings = ParentalKey(
        RecordFormSettings, on_delete=models.CASCADE, related_name="questions"
    )


# --- Records -----------------------------------------------------------------------------------


def _is_service_staff(user: Any) -> bool:
    return is_service_staff(user)


class SessionRecordQuerySet(models.QuerySet["SessionRecord"]):
    """The one place that decides who may see which records, and how much of them."""

    def visible_to(self, user: Any) -> SessionRecordQuerySet:
        """Records whose metadata (dates, state, overdue) the user may see.

        Service staff see every record; a supervisor sees the records of their own sessions.
        """
        if user is None or not user.is_authenticated:
            return self.none()
        if _is_service_staff(user):
            return self
        return self.filter(session__supervisor__user=user)

    def content_visible_to(self, user: Any) -> SessionRecordQuerySet:
        """Records whose content the user may read: their own, or all with the permission."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("records.view_record_content"):
            return self
        return self.filter(session__supervisor__user=user)

    def writable_by(self, user: Any) -> SessionRecordQuerySet:
        """Records the user may still edit: unsubmitted records of their own sessions."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            session__supervisor__user=user,
            submitted_at__isnull=True,
            content_removed_at__isnull=True,
        )

    def amendable_by(self, user: Any) -> SessionRecordQuerySet:
        """Records the user may add an addendum to: submitted records of their own sessions."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            session__supervisor__user=user,
            submitted_at__isnull=False,
            content_removed_at__isnull=True,
        )

    def for_supervisee(self, email: str) -> SessionRecordQuerySet:
        """Submitted records of the sessions booked for this address (the magic link's)."""
        return self.filter(
            session__booking__supervisee_email=email.strip().lower(),
            submitted_at__isnull=False,
        )

    def overdue(self, today: datetime.date | None = None) -> SessionRecordQuerySet:
        today = today or timezone.localdate()
        return self.filter(
            due_date__lt=today, submitted_at__isnull=True, content_removed_at__isnull=True
        )

    def for_listing(self) -> SessionRecordQuerySet:
        """Everything a listing row shows, in one query."""
        return self.select_related("case__state", "session__booking__school", "session__supervisor")

    def update(self, **kwargs: Any) -> int:
        if (
            set(kwargs) & set(CONTENT_FIELDS)
            and not _content_removal_allowed.get()
            and self.filter(submitted_at__isnull=False).exists()
        ):
            raise RecordImmutable("A submitted record cannot be changed; add an addendum.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RecordImmutable("Session records are never deleted; see the retention period.")


class SessionRecord(models.Model):
    """The record of one held session. One per session (a database constraint)."""

    session = models.OneToOneField(
        "workflows.Session", on_delete=models.PROTECT, related_name="record"
    )
    case = models.OneToOneField(
        "workflows.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="session_record",
    )
    reference = models.CharField(max_length=40, unique=True)
    requested_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField(help_text="Working days after the session was marked held.")

    # Content: encrypted at rest, frozen once submitted.
    attendees = EncryptedTextField(blank=True, help_text="Roles present, one per line.")
    other_attendees = EncryptedTextField(blank=True)
    topics = EncryptedTextField(blank=True, help_text="Topics discussed, one per line.")
    signposting = EncryptedTextField(blank=True, help_text="Signposting given, one per line.")
    reflections = EncryptedTextField(blank=True)
    answers = EncryptedTextField(blank=True, help_text="Reflective questions and answers (JSON).")
    next_session_date = models.DateField(null=True, blank=True)

    draft_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True)
    content_removed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the content was removed after the retention period."
    )

    objects = SessionRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            # Insights: records due in a period.
            models.Index(fields=["due_date"], name="record_due_date_idx"),
        ]
        permissions = [
            ("view_record_content", "Can read the content of any session record"),
        ]

    def __str__(self) -> str:
        # Metadata only: this string goes into audit lines and admin titles.
        return f"Session record {self.reference}"

    # -- the immutability guard --

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        touches_content = update_fields is None or bool(set(update_fields) & set(CONTENT_FIELDS))
        if self.pk is not None and touches_content and not _content_removal_allowed.get():
            stored = (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values("submitted_at", *CONTENT_FIELDS)
                .first()
            )
            if stored and stored["submitted_at"] is not None:
                # values() applies from_db_value, so encrypted columns compare as plain text.
                changed = [f for f in CONTENT_FIELDS if stored[f] != getattr(self, f)]
                if changed:
                    raise RecordImmutable(
                        "This record has been submitted and cannot be changed; add an addendum."
                    )
        super().save(*args, **kwargs)

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RecordImmutable("Session records are never deleted; see the retention period.")

    # -- content helpers (read-only views of the stored text) --

    @property
    def attendee_list(self) -> list[str]:
        return _lines(self.attendees)

    @property
    def topic_list(self) -> list[str]:
        return _lines(self.topics)

    @property
    def signposting_list(self) -> list[str]:
        return _lines(self.signposting)

    @property
    def answer_list(self) -> list[dict[str, str]]:
        return json.loads(self.answers) if self.answers else []

    @property
    def is_overdue(self) -> bool:
        return (
            self.submitted_at is None
            and self.content_removed_at is None
            and self.due_date < timezone.localdate()
        )


class _RecordPartQuerySet(models.QuerySet[Any]):
    """Bulk changes to the parts of a submitted record are refused, like single saves."""

    def _guard(self) -> None:
        if (
            not _content_removal_allowed.get()
            and self.filter(record__submitted_at__isnull=False).exists()
        ):
            raise RecordImmutable("The parts of a submitted record cannot be changed.")

    def update(self, **kwargs: Any) -> int:
        self._guard()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._guard()
        return super().delete()


class RecordAction(models.Model):
    """An action agreed in the session: what, who (by role) and by when."""

    record = models.ForeignKey(SessionRecord, on_delete=models.PROTECT, related_name="actions")
    sort_order = models.PositiveSmallIntegerField(default=0)
    description = EncryptedTextField()
    owner = models.CharField(max_length=20, choices=ActionOwner.choices)
    due_date = models.DateField()

    objects = _RecordPartQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"Action {self.sort_order + 1} of {self.record}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._guard()
        return super().delete(*args, **kwargs)

    def _guard(self) -> None:
        if _content_removal_allowed.get():
            return
        if SessionRecord._base_manager.filter(
            pk=self.record_id, submitted_at__isnull=False
        ).exists():
            raise RecordImmutable("The actions of a submitted record cannot be changed.")


class Addendum(models.Model):
    """A correction or addition to a submitted record. Written once, never edited."""

    record = models.ForeignKey(SessionRecord, on_delete=models.PROTECT, related_name="addenda")
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=255, blank=True)

    objects = _RecordPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum to {self.record}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not _content_removal_allowed.get():
            raise RecordImmutable("An addendum cannot be changed; add another one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RecordImmutable("An addendum cannot be deleted.")
