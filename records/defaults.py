"""Default data for session records: the workflow, its emails, schedules, permissions, questions.

``install_record_defaults`` is idempotent (creates what is missing, never overwrites what staff
changed) and runs from ``manage.py setup_records``. ``install_record_data`` is the part records
cannot work without (workflow and email templates); the services install it on first use.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_q.models import Schedule

from cms.services import SERVICE_STAFF, SUPERVISORS, ensure_role_groups
from records.models import RecordFormSettings, RecordQuestion
from workflows.defaults import install_email_templates, install_schedules, install_workflow
from workflows.enums import ANY_OPEN_STATE, InputKind, Role, WorkflowSubject
from workflows.models import Workflow

SUP, SEE, SYS = Role.SUPERVISOR, Role.SUPERVISEE, Role.SYSTEM

# No email carries record content: only the booking reference, the session date (passed as
# {{ comment }}) and a link. The link is a magic link for supervisees, the admin for supervisors.
EMAILS = {
    "record-shared": (
        "Session record ready (to supervisee)",
        "The record of your supervision session is ready ({{ reference }})",
        "Dear {{ supervisee }},\n\n{{ supervisor }} has written the record of your supervision "
        "session on {{ comment }} ({{ reference }}).\n\nRead it, download a copy and confirm you "
        "have received it here (the link works for 7 days; you can ask for a new one on our "
        "website):\n{{ link }}\n\nPlease keep your copy securely, in line with your school's "
        "policies.\n",
    ),
    "record-amended": (
        "Addendum added to a session record (to supervisee)",
        "An addendum has been added to your session record ({{ reference }})",
        "Dear {{ supervisee }},\n\n{{ supervisor }} has added an addendum to the record of your "
        "supervision session on {{ comment }} ({{ reference }}).\n\nRead it and confirm you have "
        "received it here:\n{{ link }}\n",
    ),
    "record-due": (
        "Session record due (to supervisor)",
        "Please write the session record ({{ reference }})",
        "The session with {{ supervisee }} ({{ school }}) on {{ comment }} is marked held, so "
        "its record is now due.\n\nWrite and submit it here:\n{{ link }}\n",
    ),
    "record-overdue": (
        "Session record overdue (to supervisor)",
        "A session record is overdue ({{ reference }})",
        "The record of your supervision session with {{ supervisee }} ({{ school }}) on "
        "{{ comment }} has not been submitted yet.\n\nPlease write and submit it here:\n"
        "{{ link }}\n",
    ),
}

SCHEDULES = [
    (
        "Session records: overdue reminders",
        "records.tasks.send_overdue_record_reminders",
        Schedule.DAILY,
    ),
    ("Session records: retention clean-up", "records.tasks.apply_record_retention", Schedule.DAILY),
    (
        "Session records: request records of held sessions",
        "records.tasks.request_records_for_held_sessions",
        Schedule.HOURLY,
    ),
]

RECORD_PERMISSIONS = {
    # Staff see every record's metadata and edit the form's questions. Reading content is a
    # separate permission (records.view_record_content) granted to named people by hand.
    SERVICE_STAFF: [
        "records.view_sessionrecord",
        "records.change_recordformsettings",
        "records.view_recordformsettings",
    ],
    SUPERVISORS: ["records.view_sessionrecord"],
}

DEFAULT_QUESTIONS = [
    ("What has gone well in your safeguarding practice since we last met?", "multiline"),
    ("What will you take from this session into your practice?", "multiline"),
]


def record_workflow_spec() -> dict[str, Any]:
    """The Session record workflow, in the shape ``workflows.defaults.install_workflow`` takes."""
    return {
        "name": "Session record",
        "slug": "session-record",
        "subject": WorkflowSubject.SESSION_RECORD,
        "description": "The record of one held session: written by its supervisor, checked for "
        "children's details, shared with the supervisee and acknowledged.",
        "states": [
            ("requested", "Requested", True, False, [SUP], None),
            ("draft", "Draft", False, False, [SUP], None),
            ("submitted", "Submitted", False, False, [SYS], None),
            ("shared", "Shared with the supervisee", False, False, [SEE], None),
            ("acknowledged", "Acknowledged", False, False, [], None),
            ("content_removed", "Content removed (retention)", False, True, [], None),
        ],
        "transitions": [
            ("write", "Start writing", "requested", "draft", [SUP], [], []),
            ("submit", "Submit the record", "draft", "submitted", [SUP], [], []),
            (
                "share",
                "Share with the supervisee",
                "submitted",
                "shared",
                [SYS],
                [InputKind.COMMENT],
                [],
            ),
            ("acknowledge", "Acknowledge receipt", "shared", "acknowledged", [SEE], [], []),
            ("amend", "Add an addendum", "shared", "shared", [SUP], [InputKind.COMMENT], []),
            ("amend", "Add an addendum", "acknowledged", "shared", [SUP], [InputKind.COMMENT], []),
            (
                "remove_content",
                "Remove content (retention period ended)",
                ANY_OPEN_STATE,
                "content_removed",
                [SYS],
                [InputKind.COMMENT],
                [],
            ),
        ],
    }


@transaction.atomic
def install_record_data() -> Workflow:
    """The email templates and the workflow; what records cannot work without."""
    install_email_templates(EMAILS)
    return install_workflow(record_workflow_spec())


def install_questions() -> RecordFormSettings:
    """Two starter questions, only when the form settings are created for the first time."""
    existing = RecordFormSettings.objects.first()
    if existing is not None:
        return existing
    form = RecordFormSettings.objects.create()
    for order, (label, field_type) in enumerate(DEFAULT_QUESTIONS):
        RecordQuestion.objects.create(
            form_settings=form,
            sort_order=order,
            label=label,
            field_type=field_type,
            required=False,
        )
    return form


@transaction.atomic
def install_record_defaults() -> dict[str, Any]:
    workflow = install_record_data()
    install_schedules(SCHEDULES)
    ensure_role_groups(extra=RECORD_PERMISSIONS)
    form = install_questions()
    return {"workflow": workflow, "form": form}
