"""Writing session records: requesting, drafting, submitting, sharing, amending, retention.

Each service takes keyword-only arguments, runs in one transaction, locks the record it changes
and raises ``RecordError`` with a message that can be shown to the person who acted. The
workflow steps (requested → draft → submitted → shared → acknowledged, amend, content removed)
go through ``workflows.services.engine.apply_transition``, so every step is in the case history
and the audit log. Emails go through ``workflows.services.notifications.queue_email``: one row
per idempotency key, sent by django-q2 after the commit, and never with record content in them.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import log_event
from config.links import reverse_absolute
from records.defaults import install_record_data
from records.detail_review import (
    PartFinding,
    TextPart,
    find_details,
    text_hash,
    unconfirmed,
)
from records.enums import ActionOwner, RecordAudit
from records.models import (
    Addendum,
    RecordAction,
    SessionRecord,
    content_removal_allowed,
)
from workflows.enums import Recipient, Role, SessionStatus, TokenPurpose
from workflows.errors import TransitionError
from workflows.models import AccessToken, EmailTemplate, OutboundEmail, Session, Workflow
from workflows.services.engine import apply_transition, follow_on_step, start_case
from workflows.services.notifications import queue_email
from workflows.services.reminders import Reminder, send_reminders
from workflows.services.tokens import issue_token
from workflows.subjects import booking_case
from workflows.workdays import add_working_days

RECORD_WORKFLOW = "session-record"
#: Answer types whose text the supervisor typed (and so is scanned); choices are editors' words.
TYPED_ANSWER_TYPES = frozenset({"singleline", "multiline", "email", "url"})


class RecordError(Exception):
    """A record step was refused; the message is safe to show to the person who tried it."""


class RecordIncomplete(RecordError):
    """Required parts are missing; ``problems`` lists each in plain words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class UnconfirmedDetails(RecordError):
    """The text has possible child details the supervisor has neither edited nor confirmed."""

    def __init__(self, findings: list[PartFinding], pending: list[PartFinding]) -> None:
        count = len(pending)
        super().__init__(
            f"{count} detail{'s' if count != 1 else ''} may identify a child. Edit each one, "
            "or tick that it is not a child's detail, then submit again."
        )
        self.findings = findings
        self.pending = pending


# --- what a record says ------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreedAction:
    description: str
    owner: str
    due_date: datetime.date | None


@dataclass(frozen=True)
class RecordContent:
    """A record's content as the form cleaned it; what the services write."""

    attendees: list[str] = field(default_factory=list)
    other_attendees: str = ""
    topics: list[str] = field(default_factory=list)
    signposting: list[str] = field(default_factory=list)
    reflections: str = ""
    answers: list[dict[str, str]] = field(default_factory=list)
    next_session_date: datetime.date | None = None
    actions: list[AgreedAction] = field(default_factory=list)

    def text_parts(self) -> list[TextPart]:
        """Everything the supervisor typed, named as the form names it (for the findings)."""
        parts = [
            TextPart("other_attendees", "Anyone else present", self.other_attendees),
            TextPart("reflections", "Reflections", self.reflections),
        ]
        parts += [
            TextPart(f"q_{a['name']}", a["label"], a["answer"])
            for a in self.answers
            if a.get("type") in TYPED_ANSWER_TYPES
        ]
        parts += [
            TextPart(f"actions-{i}-description", f"Action {i + 1}", a.description)
            for i, a in enumerate(self.actions)
        ]
        return [p for p in parts if p.text.strip()]

    def action_problems(self) -> list[str]:
        problems = []
        owners = set(ActionOwner.values)
        for number, action in enumerate(self.actions, start=1):
            if not action.description.strip():
                problems.append(f"Action {number}: describe the action.")
            if action.owner not in owners:
                problems.append(
                    f"Action {number}: choose who owns it; every action needs an owner."
                )
            if action.due_date is None:
                problems.append(f"Action {number}: give a due date.")
        return problems

    def problems(self) -> list[str]:
        """What is missing before the record can be submitted (empty if nothing)."""
        problems = []
        if not self.attendees and not self.other_attendees.strip():
            problems.append("Say who attended, by role.")
        if not self.topics:
            problems.append("Tick at least one topic discussed.")
        if not self.reflections.strip():
            problems.append("Write the reflections.")
        return problems + self.action_problems()


# --- helpers -----------------------------------------------------------------------------------


def long_date(value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return f"{value:%A} {value.day} {value:%B %Y}"


def record_reference(session: Session) -> str:
    return f"{session.booking.reference}-R{session.pk}"


def record_workflow() -> Workflow:
    """The "Session record" workflow; its default data is installed on first use if missing.

    Records are requested from inside a booking transition, so they must not depend on an
    administrator having run ``setup_records`` first (that also installs the schedules).
    """
    workflow = Workflow.objects.filter(slug=RECORD_WORKFLOW).first()
    if workflow is None:
        workflow = install_record_data()
    return workflow


def supervisee_label(record: SessionRecord) -> str:
    return f"{record.session.booking.supervisee_name} (supervisee)"


def _transition(record: SessionRecord, key: str, *, actor: Any, role: str, **kw: Any) -> None:
    try:
        apply_transition(case=record.case, transition_key=key, actor=actor, role=role, **kw)
    except TransitionError as exc:
        raise RecordError(str(exc)) from exc


def _queue_record_email(
    *,
    record: SessionRecord,
    template_key: str,
    recipient_kind: str,
    idempotency_key: str,
    link: str,
    comment: str = "",
) -> OutboundEmail | None:
    """Queue a staff-written email whose {{ link }} is the record's own page, not the portal."""
    template = EmailTemplate.objects.filter(key=template_key).first()
    if template is None:
        raise RecordError(
            f"The email template '{template_key}' is missing; ask an administrator to run "
            "'manage.py setup_records'."
        )
    return queue_email(
        idempotency_key=idempotency_key,
        template=template,
        link=link,
        recipient_kind=recipient_kind,
        case=record.case,
        booking=record.session.booking,
        comment=comment,
    )


def supervisee_link(record: SessionRecord) -> str:
    """A fresh magic link that opens this record only, bound to the supervisee's address."""
    token = issue_token(
        email=record.session.booking.supervisee_email,
        purpose=TokenPurpose.RECORD,
        object_id=record.pk,
    )
    return reverse_absolute("records:detail", token, record.pk)


def _lock(pk: int) -> SessionRecord:
    """The record's row, locked until the transaction ends, with what the steps read."""
    return (
        SessionRecord.objects.select_for_update(of=("self",))
        .select_related("case__state", "session__booking")
        .get(pk=pk)
    )


def _lock_writable(record: SessionRecord, actor: Any) -> SessionRecord:
    locked = _lock(record.pk)
    if locked.submitted_at is not None:
        raise RecordError(
            "This record has already been submitted and cannot be changed; add an addendum."
        )
    if not SessionRecord.objects.writable_by(actor).filter(pk=locked.pk).exists():
        raise RecordError("Only the supervisor who held the session can write its record.")
    return locked


def _write_content(record: SessionRecord, content: RecordContent) -> None:
    record.attendees = "\n".join(content.attendees)
    record.other_attendees = content.other_attendees.strip()
    record.topics = "\n".join(content.topics)
    record.signposting = "\n".join(content.signposting)
    record.reflections = content.reflections.strip()
    record.answers = json.dumps(content.answers) if content.answers else ""
    record.next_session_date = content.next_session_date
    record.actions.all().delete()
    for number, action in enumerate(content.actions):
        RecordAction.objects.create(
            record=record,
            sort_order=number,
            description=action.description.strip(),
            owner=action.owner,
            due_date=action.due_date,
        )


def _start_writing(record: SessionRecord, actor: Any, request: Any) -> None:
    if record.case.state.key == "requested":
        _transition(record, "write", actor=actor, role=Role.SUPERVISOR, request=request)


def _log_confirmations(
    record: SessionRecord, findings: list[PartFinding], actor: Any, request: Any
) -> None:
    for item in findings:
        log_event(
            action=RecordAudit.FINDING_CONFIRMED,
            actor=actor,
            target=record,
            request=request,
            data={
                "kind": item.finding.kind,
                "part": item.part.name,
                "text_hash": text_hash(item.finding.text),
            },
        )


# --- requesting --------------------------------------------------------------------------------


def request_record(*, session: Session, actor: Any = None) -> SessionRecord:
    """Open the record of a held session, due in ``RECORD_DUE_WORKING_DAYS`` working days.

    Refuses a session not marked held and a second record for the same session (the database
    enforces one record per session, so two concurrent requests cannot both succeed).
    """
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        when = long_date(locked.start)
        if locked.status != SessionStatus.HELD:
            raise RecordError(
                f"The session on {when} has not been marked held, so it cannot have a record yet."
            )
        if SessionRecord.objects.filter(session=locked).exists():
            raise RecordError(f"The session on {when} already has a record.")
        workflow = record_workflow()
        try:
            with transaction.atomic():
                record = SessionRecord.objects.create(
                    session=locked,
                    reference=record_reference(locked),
                    due_date=add_working_days(
                        timezone.localdate(), settings.RECORD_DUE_WORKING_DAYS
                    ),
                )
        except IntegrityError as exc:
            raise RecordError(f"The session on {when} already has a record.") from exc
        try:
            case = start_case(
                workflow=workflow,
                subject=record,
                reference=record.reference,
                parent=booking_case(locked.booking),
            )
        except TransitionError as exc:
            raise RecordError(str(exc)) from exc
        record.case = case
        record.save(update_fields=["case"])
        _tell_supervisor_record_due(record)
        log_event(
            action=RecordAudit.REQUESTED,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            target=record,
            data={"due_date": record.due_date.isoformat()},
        )
    return record


def _tell_supervisor_record_due(record: SessionRecord) -> None:
    """Email the supervisor that the record is due, linking to where it is written.

    Sites installed before this email existed get it from ``setup_records``; until then the
    record is still requested and only the email is skipped (``queue_email`` logs that).
    """
    queue_email(
        idempotency_key=f"record-due:{record.pk}",
        template_key="record-due",
        recipient_kind=Recipient.SUPERVISOR,
        case=record.case,
        booking=record.session.booking,
        link=reverse_absolute("records_admin:edit", record.pk),
        comment=f"{long_date(record.session.start)} (due by {long_date(record.due_date)})",
    )


def request_records_for_held_sessions(
    *, session_ids: list[int] | None = None, actor: Any = None
) -> list[SessionRecord]:
    """Request a record for each held session that has none (all of them, or those given).

    Called when sessions are marked held (``workflows.signals.sessions_held``) and hourly as a
    safety net. Without ids it looks only at sessions still inside the retention period.
    """
    sessions = Session.objects.filter(status=SessionStatus.HELD, record__isnull=True)
    if session_ids is not None:
        sessions = sessions.filter(pk__in=session_ids)
    else:
        cutoff = timezone.now() - datetime.timedelta(days=settings.RECORD_RETENTION_DAYS)
        sessions = sessions.filter(end__gte=cutoff)
    return [request_record(session=s, actor=actor) for s in sessions.order_by("start")]


# --- writing -----------------------------------------------------------------------------------


def save_draft(
    *, record: SessionRecord, content: RecordContent, actor: Any, request: Any = None
) -> SessionRecord:
    """Save what the supervisor has written so far. Parts may be missing; actions need owners."""
    problems = content.action_problems()
    if problems:
        raise RecordIncomplete(problems)
    with transaction.atomic():
        locked = _lock_writable(record, actor)
        _write_content(locked, content)
        locked.draft_saved_at = timezone.now()
        locked.save()
        _start_writing(locked, actor, request)
        log_event(action=RecordAudit.DRAFT_SAVED, actor=actor, target=locked, request=request)
    return locked


def submit_record(
    *,
    record: SessionRecord,
    content: RecordContent,
    confirmed: set[str],
    actor: Any,
    request: Any = None,
) -> SessionRecord:
    """Submit the record and share it with the supervisee, or refuse without changing anything.

    Refused if a required part is missing (``RecordIncomplete``) or if the identifying-details
    check finds a detail whose fingerprint is not in ``confirmed`` (``UnconfirmedDetails``,
    carrying the findings to show). On success, in one transaction: the content is frozen, each
    confirmed finding is audited (its kind and a keyed hash, never the text), the case moves
    draft → submitted → shared, and the supervisee's email (no content, a magic link) is queued.
    """
    problems = content.problems()
    if problems:
        raise RecordIncomplete(problems)
    findings = find_details(content.text_parts())
    pending = unconfirmed(findings, confirmed)
    if pending:
        raise UnconfirmedDetails(findings, pending)
    with transaction.atomic():
        locked = _lock_writable(record, actor)
        _write_content(locked, content)
        now = timezone.now()
        locked.draft_saved_at = locked.draft_saved_at or now
        locked.submitted_at = now
        locked.submitted_by = actor
        locked.save()
        _log_confirmations(locked, findings, actor, request)
        _start_writing(locked, actor, request)
        _transition(locked, "submit", actor=actor, role=Role.SUPERVISOR, request=request)
        log_event(
            action=RecordAudit.SUBMITTED,
            actor=actor,
            target=locked,
            request=request,
            data={"findings_confirmed": len(findings)},
        )
        _share(locked)
    return locked


def _share(record: SessionRecord) -> None:
    """Share a just-submitted record: a system step that follows "submit" in its transaction."""
    when = long_date(record.session.start)
    with follow_on_step():
        _transition(
            record, "share", actor=None, role=Role.SYSTEM, inputs={"comment": f"Session on {when}"}
        )
    record.shared_at = timezone.now()
    record.save(update_fields=["shared_at"])
    _queue_record_email(
        record=record,
        template_key="record-shared",
        recipient_kind=Recipient.REQUESTER,
        idempotency_key=f"record-shared:{record.pk}",
        link=supervisee_link(record),
        comment=when,
    )
    log_event(action=RecordAudit.SHARED, target=record, data={"to": "supervisee"})


def add_addendum(
    *,
    record: SessionRecord,
    text: str,
    confirmed: set[str],
    actor: Any,
    request: Any = None,
) -> Addendum:
    """Add a correction to a submitted record and tell the supervisee (who acknowledges again).

    The record itself never changes. The addendum passes the same identifying-details check.
    """
    text = (text or "").strip()
    if not text:
        raise RecordIncomplete(["Write the addendum."])
    findings = find_details([TextPart("text", "Addendum", text)])
    pending = unconfirmed(findings, confirmed)
    if pending:
        raise UnconfirmedDetails(findings, pending)
    with transaction.atomic():
        locked = _lock(record.pk)
        if not SessionRecord.objects.filter(pk=locked.pk, session__supervisor__user=actor).exists():
            raise RecordError("Only the supervisor who held the session can add an addendum.")
        if locked.submitted_at is None:
            raise RecordError("This record is still a draft: change the draft instead.")
        if locked.content_removed_at is not None:
            raise RecordError("This record's content was removed after the retention period.")
        addendum = Addendum.objects.create(
            record=locked,
            text=text,
            author=actor,
            author_label=actor.get_full_name() or actor.get_username(),
        )
        _log_confirmations(locked, findings, actor, request)
        _transition(
            locked,
            "amend",
            actor=actor,
            role=Role.SUPERVISOR,
            inputs={"comment": "Addendum added"},
            request=request,
        )
        log_event(
            action=RecordAudit.ADDENDUM_ADDED,
            actor=actor,
            target=locked,
            request=request,
            data={"addendum": addendum.pk, "findings_confirmed": len(findings)},
        )
        _queue_record_email(
            record=locked,
            template_key="record-amended",
            recipient_kind=Recipient.REQUESTER,
            idempotency_key=f"record-amended:{addendum.pk}",
            link=supervisee_link(locked),
            comment=long_date(locked.session.start),
        )
    return addendum


def acknowledge_record(
    *, record: SessionRecord, link: AccessToken, request: Any = None
) -> SessionRecord:
    """The supervisee confirms, through their emailed ``link``, they received the record."""
    with transaction.atomic():
        locked = _lock(record.pk)
        if locked.case is None or locked.case.state.key != "shared":
            raise RecordError("You have already acknowledged this record. Thank you.")
        label = supervisee_label(locked)
        _transition(
            locked, "acknowledge", actor=label, role=Role.SUPERVISEE, request=request, link=link
        )
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["acknowledged_at"])
        log_event(
            action=RecordAudit.ACKNOWLEDGED, actor_label=label, target=locked, request=request
        )
    return locked


def log_access(
    *, record: SessionRecord, action: str, request: Any, via: str, content: bool = True
) -> None:
    """Audit one view or download: who (the signed-in user or the supervisee), when, how."""
    label = "" if via == "admin" else supervisee_label(record)
    log_event(
        action=action,
        target=record,
        request=request,
        actor_label=label,
        data={"via": via, "content": content},
    )


# --- reminders and retention -------------------------------------------------------------------


def _remind_overdue_record(record: SessionRecord) -> bool:
    if record.case is None:
        return False
    _queue_record_email(
        record=record,
        template_key="record-overdue",
        recipient_kind=Recipient.SUPERVISOR,
        idempotency_key=f"record-overdue:{record.pk}:{record.due_date.isoformat()}",
        link=reverse_absolute("records_admin:edit", record.pk),
        comment=f"{long_date(record.session.start)} (due by {long_date(record.due_date)})",
    )
    log_event(action=RecordAudit.REMINDED, target=record, data={"to": "supervisor"})
    return True


def send_overdue_reminders(*, today: datetime.date | None = None) -> int:
    """Email each overdue record's supervisor once (due dates count working days only).

    Runs through the one reminder loop (``workflows.services.reminders``): safe to run as often
    as you like.
    """
    return send_reminders(
        Reminder(
            model=SessionRecord,
            stamp_field="overdue_reminded_at",
            due=lambda: SessionRecord.objects.overdue(today).filter(
                overdue_reminded_at__isnull=True, case__isnull=False
            ),
            send=_remind_overdue_record,
        )
    )


def apply_retention(*, now: datetime.datetime | None = None) -> int:
    """Remove the content of records whose session ended more than the retention period ago.

    The record stays (session, dates, state, who submitted, when acknowledged); its encrypted
    text, ticked lists, actions' descriptions and addenda's text are blanked, the case moves to
    "Content removed" and one audit line says so. Nothing is deleted.
    """
    now = now or timezone.now()
    days = settings.RECORD_RETENTION_DAYS
    cutoff = now - datetime.timedelta(days=days)
    due = SessionRecord.objects.filter(session__end__lt=cutoff, content_removed_at__isnull=True)
    count = 0
    for pk in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic(), content_removal_allowed():
            record = _lock(pk)
            if record.content_removed_at is not None:
                continue
            for name in ("attendees", "other_attendees", "topics", "signposting"):
                setattr(record, name, "")
            record.reflections = ""
            record.answers = ""
            record.next_session_date = None
            record.content_removed_at = now
            record.save()
            actions = RecordAction.objects.filter(record=record).update(description="")
            addenda = Addendum.objects.filter(record=record).update(text="")
            if record.case is not None and not record.case.state.is_terminal:
                _transition(
                    record,
                    "remove_content",
                    actor=None,
                    role=Role.SYSTEM,
                    inputs={"comment": f"Retention period of {days} days ended"},
                )
            log_event(
                action=RecordAudit.CONTENT_REMOVED,
                target=record,
                data={
                    "retention_days": days,
                    "session_ended": timezone.localtime(record.session.end).date().isoformat(),
                    "actions_blanked": actions,
                    "addenda_blanked": addenda,
                },
            )
        count += 1
    return count
