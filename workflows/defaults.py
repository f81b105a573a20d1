"""The default workflows, email templates, booking form and schedules, installed as data.

``install_defaults`` is idempotent: it creates what is missing and never overwrites what staff
have changed since, so it is safe in ``make run`` and after every deploy.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_q.models import Schedule

from cms.models import HomePage, ServiceSettings
from workflows.enums import ANY_OPEN_STATE, ON_CREATE, InputKind, Recipient, Role, WorkflowSubject
from workflows.models import BookingFormPage, EmailTemplate, State, Transition, Workflow
from workflows.roles import ensure_workflow_permissions
from workflows.services.wording import install_default_wording

S, SUP, SEE, SYS = Role.SERVICE_STAFF, Role.SUPERVISOR, Role.SUPERVISEE, Role.SYSTEM
REQ, SV, INBOX = Recipient.REQUESTER, Recipient.SUPERVISOR, Recipient.SERVICE_INBOX

EMAILS = {
    "booking-received": (
        "Supervision request received",
        "We have your request {{ reference }}",
        "Dear {{ supervisee }},\n\nThank you for requesting {{ service }} with {{ supervisor }} "
        "for {{ school }}. Your reference is {{ reference }}.\n\nWe will reply within five "
        "working days. You can see your request at any time here (the link works for 7 days; "
        "you can ask for a new one on our website):\n{{ link }}\n",
    ),
    "booking-received-booker": (
        "Request received (to the person who booked, if not the supervisee)",
        "We have your request {{ reference }}",
        "Thank you for requesting {{ service }} with {{ supervisor }} for {{ supervisee }} at "
        "{{ school }}. The reference is {{ reference }}.\n\nWe have emailed {{ supervisee }} a "
        "confirmation with a link to the booking, and we will reply within five working days.\n",
    ),
    "booking-new-for-team": (
        "New request (to supervisor and team)",
        "New supervision request {{ reference }} from {{ school }}",
        "A new request for {{ service }} with {{ supervisor }} has arrived from {{ school }}.\n\n"
        "Open the case: {{ link }}\n",
    ),
    "booking-accepted": (
        "Request accepted: sign the agreement",
        "Your supervision {{ reference }} is accepted: please sign the agreement",
        "Dear {{ supervisee }},\n\n{{ supervisor }} has accepted your request {{ reference }}. "
        "Provisional sessions:\n{{ sessions }}\n\nBefore sessions start, please read and sign "
        "the supervision agreement here:\n{{ link }}\n\n{{ comment }}\n",
    ),
    "booking-declined": (
        "Request declined",
        "Your supervision request {{ reference }}",
        "Dear {{ supervisee }},\n\nWe are sorry: we cannot take on request {{ reference }}.\n\n"
        "{{ comment }}\n\nPlease contact the team if you would like to discuss other options.\n",
    ),
    "booking-more-info": (
        "More information needed",
        "We need a little more information about {{ reference }}",
        "Dear {{ supervisee }},\n\nBefore we can arrange supervision ({{ reference }}) we need "
        "to know:\n\n{{ comment }}\n\nPlease reply to this email.\n",
    ),
    "booking-cancelled": (
        "Booking cancelled",
        "Supervision {{ reference }} cancelled",
        "The supervision booking {{ reference }} for {{ school }} has been cancelled.\n\n"
        "{{ comment }}\n",
    ),
    "agreement-signed-by-supervisee": (
        "Agreement signed by supervisee (to supervisor)",
        "{{ supervisee }} has signed the agreement for {{ reference }}",
        "{{ supervisee }} ({{ school }}) has signed the supervision agreement. Please countersign "
        "it so the sessions are confirmed:\n{{ link }}\n",
    ),
    "agreement-active": (
        "Agreement signed by both: sessions confirmed",
        "Your supervision sessions are confirmed ({{ reference }})",
        "The supervision agreement for {{ reference }} is signed by both of you. Confirmed "
        "sessions:\n{{ sessions }}\n\nSee your bookings: {{ link }}\n",
    ),
    "agreement-review-requested": (
        "Agreement review requested",
        "Review of the supervision agreement {{ reference }} requested",
        "A review of the supervision agreement for {{ reference }} has been requested. "
        "{{ comment }}\n\n{{ link }}\n",
    ),
    "agreement-review-due": (
        "Agreement review due (reminder)",
        "The supervision agreement {{ reference }} is due for review",
        "The supervision agreement for {{ reference }} ({{ school }}) is due for review on "
        "{{ review_date }}. Please arrange it at your next session.\n\n{{ link }}\n",
    ),
    "session-change-requested": (
        "Session cancelled or rearrangement asked (to supervisor and team)",
        "{{ reference }}: a session change from {{ supervisee }}",
        "{{ supervisee }} ({{ school }}) has asked to change a session.\n\n"
        "Reason: {{ comment }}\n\nSessions now:\n{{ sessions }}\n\nOpen the case: {{ link }}\n",
    ),
    "session-moved": (
        "Session moved (to supervisee and supervisor)",
        "{{ reference }}: a supervision session has moved",
        "A supervision session for {{ reference }} ({{ school }}) has a new time or place.\n\n"
        "{{ comment }}\n\nSessions now:\n{{ sessions }}\n\n{{ link }}\n",
    ),
    "session-cancelled-by-team": (
        "Session cancelled by the supervisor or team (to supervisee and supervisor)",
        "{{ reference }}: a supervision session is cancelled",
        "A supervision session for {{ reference }} ({{ school }}) has been cancelled.\n\n"
        "Reason: {{ comment }}\n\nSessions now:\n{{ sessions }}\n\n{{ link }}\n",
    ),
    "session-reminder": (
        "Session tomorrow (reminder)",
        "Reminder: supervision tomorrow ({{ reference }})",
        "This is a reminder of your supervision session tomorrow:\n\n{{ sessions }}\n\n"
        "{{ link }}\n",
    ),
    "portal-link": (
        "Link to your bookings",
        "Your link to your supervision bookings",
        "Here is a new link to see your supervision bookings, sign agreements and change "
        "sessions. It works for 7 days:\n{{ link }}\n\nIf you did not ask for it, you can "
        "ignore this email.\n",
    ),
    "case-overdue": (
        "Case waiting too long (to team)",
        "{{ reference }} has waited longer than expected in '{{ state }}'",
        "The case {{ reference }} ({{ school }}, with {{ supervisor }}) has been in '{{ state }}' "
        "for longer than its target.\n\nOpen it: {{ link }}\n",
    ),
}


def _notify(template: str, *recipients: str) -> tuple[str, dict[str, Any]]:
    return (
        "notify",
        {"template": EmailTemplate.objects.get(key=template).pk, "recipients": list(recipients)},
    )


def _booking_workflow() -> dict[str, Any]:
    return {
        "name": "Booking request",
        "slug": "booking-request",
        "subject": WorkflowSubject.BOOKING,
        "description": "From a school's request to an active supervision arrangement.",
        "states": [
            ("submitted", "Submitted", True, False, [S, SUP], 5),
            ("more_information_needed", "More information needed", False, False, [SEE, S], 10),
            ("declined", "Declined", False, True, [], None),
            ("agreement_pending", "Accepted: agreement pending", False, False, [SEE, SUP], 10),
            ("active", "Active", False, False, [SUP], None),
            ("closed", "Closed", False, True, [], None),
            ("cancelled", "Cancelled", False, True, [], None),
        ],
        "transitions": [
            (
                "on_request",
                "Request received",
                ON_CREATE,
                "submitted",
                [SYS],
                [],
                [_notify("booking-received", REQ), _notify("booking-new-for-team", SV, INBOX)],
            ),
            *_from_each(
                ("submitted", "more_information_needed"),
                "accept",
                "Accept and schedule sessions",
                "agreement_pending",
                [S, SUP],
                [InputKind.SESSIONS, InputKind.COMMENT],
                [
                    ("schedule_sessions", {}),
                    ("require_agreement", {}),
                    _notify("booking-accepted", REQ),
                ],
            ),
            (
                "decline",
                "Decline",
                "submitted",
                "declined",
                [S, SUP],
                [InputKind.REASON],
                [_notify("booking-declined", REQ)],
            ),
            (
                "ask_more_information",
                "Ask for more information",
                "submitted",
                "more_information_needed",
                [S, SUP],
                [InputKind.REASON],
                [_notify("booking-more-info", REQ)],
            ),
            (
                "information_received",
                "Information received",
                "more_information_needed",
                "submitted",
                [S, SUP],
                [InputKind.COMMENT],
                [],
            ),
            (
                "activate",
                "Agreement signed by both",
                "agreement_pending",
                "active",
                [SYS],
                [],
                [_notify("agreement-active", REQ, SV)],
            ),
            (
                "schedule_more",
                "Schedule more sessions",
                "active",
                "active",
                [S, SUP],
                [InputKind.SESSIONS],
                [("schedule_sessions", {})],
            ),
            *_from_each(
                ("agreement_pending", "active"),
                "supervisee_cancels_session",
                "Cancel a session",
                None,
                [SEE],
                [InputKind.REASON],
                [("cancel_session", {}), _notify("session-change-requested", SV, INBOX)],
            ),
            *_from_each(
                ("agreement_pending", "active"),
                "supervisee_asks_reschedule",
                "Ask to rearrange a session",
                None,
                [SEE],
                [InputKind.REASON],
                [("request_reschedule", {}), _notify("session-change-requested", SV, INBOX)],
            ),
            *_from_each(
                ("agreement_pending", "active"),
                "move_session",
                "Move this session",
                None,
                [S, SUP],
                [InputKind.SESSIONS, InputKind.COMMENT],
                [("move_session", {}), _notify("session-moved", REQ, SV)],
            ),
            *_from_each(
                ("agreement_pending", "active"),
                "cancel_one_session",
                "Cancel this session",
                None,
                [S, SUP],
                [InputKind.REASON],
                [("cancel_session", {}), _notify("session-cancelled-by-team", REQ, SV)],
            ),
            (
                "mark_held",
                "Mark past sessions held",
                "active",
                "active",
                [S, SUP],
                [],
                [("request_record", {})],
            ),
            (
                "invoice",
                "Mark held sessions invoiced",
                "active",
                "active",
                [S],
                [],
                [("mark_invoiced", {})],
            ),
            (
                "close",
                "Close",
                "active",
                "closed",
                [S],
                [InputKind.COMMENT],
                [("request_record", {}), ("cancel_sessions", {})],
            ),
            (
                "cancel",
                "Cancel booking",
                ANY_OPEN_STATE,
                "cancelled",
                [S, SUP],
                [InputKind.REASON],
                [("cancel_sessions", {}), _notify("booking-cancelled", REQ, SV, INBOX)],
            ),
        ],
    }


def _from_each(
    sources: tuple[str, ...],
    key: str,
    label: str,
    to: str | None,
    roles: list[str],
    inputs: list[str],
    actions: list[tuple[str, dict[str, Any]]],
) -> list[tuple[Any, ...]]:
    """One transition per source state; ``to=None`` stays in the state it started from."""
    return [(key, label, src, to or src, roles, inputs, actions) for src in sources]


def _agreement_workflow() -> dict[str, Any]:
    return {
        "name": "Supervision agreement",
        "slug": "supervision-agreement",
        "subject": WorkflowSubject.AGREEMENT,
        "description": "The written agreement signed before sessions start, and its reviews.",
        "states": [
            ("drafted", "Drafted", True, False, [SEE], 10),
            ("signed_by_supervisee", "Signed by supervisee", False, False, [SUP], 5),
            ("signed_by_both", "Signed by both", False, False, [], None),
            ("review_due", "Review due", False, False, [SUP, SEE], 20),
            ("reviewed", "Reviewed", False, False, [], None),
        ],
        "transitions": [
            (
                "supervisee_signs",
                "Sign (supervisee)",
                "drafted",
                "signed_by_supervisee",
                [SEE],
                [],
                [_notify("agreement-signed-by-supervisee", SV)],
            ),
            (
                "supervisor_signs",
                "Countersign the agreement",
                "signed_by_supervisee",
                "signed_by_both",
                [SUP],
                [],
                [("sign_agreement", {}), ("confirm_sessions", {})],
            ),
            (
                "request_review",
                "Ask for a review",
                "signed_by_both",
                "review_due",
                [SEE, SUP, S],
                [InputKind.COMMENT],
                [_notify("agreement-review-requested", REQ, SV, INBOX)],
            ),
            (
                "request_review",
                "Ask for a review",
                "reviewed",
                "review_due",
                [SEE, SUP, S],
                [InputKind.COMMENT],
                [_notify("agreement-review-requested", REQ, SV, INBOX)],
            ),
            (
                "review_done",
                "Review held",
                "review_due",
                "reviewed",
                [SUP, S],
                [InputKind.COMMENT],
                [],
            ),
        ],
    }


#: Transitions added to the defaults after sites were installed. ``install_workflow`` adds them
#: to an existing workflow only if it has no transition with that key, so staff edits stand.
ADDED_LATER = {"booking-request": ("move_session", "cancel_one_session")}


def _transition(spec: tuple[Any, ...]) -> Transition:
    key, label, src, dst, roles, inputs, actions = spec
    return Transition(
        key=key,
        label=label,
        from_state_key=src,
        to_state_key=dst,
        roles_allowed=roles,
        inputs=inputs,
        actions=[{"type": action, "value": options} for action, options in actions],
    )


def _add_later_transitions(workflow: Workflow, spec: dict[str, Any]) -> None:
    keys = set(workflow.transitions.values_list("key", flat=True))
    states = set(workflow.states.values_list("key", flat=True))
    for item in spec["transitions"]:
        key, _label, src, dst = item[:4]
        wanted = key in ADDED_LATER.get(spec["slug"], ()) and key not in keys
        if wanted and {src, dst} <= states:
            transition = _transition(item)
            transition.workflow = workflow
            transition.sort_order = workflow.transitions.count()
            transition.save()


def install_workflow(spec: dict[str, Any]) -> Workflow:
    existing = Workflow.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        _add_later_transitions(existing, spec)
        return existing
    workflow = Workflow(
        name=spec["name"],
        slug=spec["slug"],
        subject=spec["subject"],
        description=spec["description"],
    )
    workflow.states = [
        State(key=k, label=label, is_initial=ini, is_terminal=term, actor_roles=roles, sla_days=sla)
        for k, label, ini, term, roles, sla in spec["states"]
    ]
    workflow.transitions = [_transition(item) for item in spec["transitions"]]
    workflow.full_clean()
    workflow.save()
    return workflow


SCHEDULES = [
    ("Session reminders", "workflows.tasks.send_session_reminders", Schedule.HOURLY),
    (
        "Agreement review reminders",
        "workflows.tasks.send_agreement_review_reminders",
        Schedule.DAILY,
    ),
    ("Overdue case reminders", "workflows.tasks.send_overdue_case_reminders", Schedule.DAILY),
    # Sends what no task will: failed sends after their back-off, tasks lost with the broker.
    ("Unsent email sweep", "workflows.tasks.sweep_unsent_emails", Schedule.MINUTES),
    ("Expired link purge", "workflows.tasks.purge_expired_links", Schedule.DAILY),
]


def install_schedules(schedules: list[tuple[str, str, str]] = SCHEDULES) -> None:
    """Create or repoint each (name, dotted task, django-q2 schedule type); the one installer.

    A ``MINUTES`` schedule runs every minute (the unsent-email sweep).
    """
    for name, func, kind in schedules:
        defaults: dict[str, object] = {"func": func, "schedule_type": kind}
        if kind == Schedule.MINUTES:
            defaults["minutes"] = 1
        Schedule.objects.update_or_create(name=name, defaults=defaults)


def install_email_templates(emails: dict[str, tuple[str, str, str]] = EMAILS) -> None:
    """Create each missing template (key: name, subject, body); never overwrite staff's edits."""
    for key, (name, subject, body) in emails.items():
        EmailTemplate.objects.get_or_create(
            key=key, defaults={"name": name, "subject": subject, "body": body}
        )


def install_booking_form(workflow: Workflow) -> BookingFormPage | None:
    page = BookingFormPage.objects.first()
    home = HomePage.objects.first()
    if page is None and home is not None:
        page = home.add_child(
            instance=BookingFormPage(
                title="Request supervision",
                slug="request-supervision",
                intro="<p>Tell us who would like supervision and with whom. We reply within "
                "five working days. Please do not include any details of children.</p>",
                thank_you_text="<p>We have emailed a confirmation with a link to your request. "
                "The supervisor and the team have been told.</p>",
                workflow=workflow,
            )
        )
    if page is not None:
        settings = ServiceSettings.load()
        if settings.booking_form_page_id is None:
            settings.booking_form_page = page
            settings.save()
    return page


@transaction.atomic
def install_defaults() -> dict[str, Any]:
    install_email_templates()
    booking = install_workflow(_booking_workflow())
    agreement = install_workflow(_agreement_workflow())
    install_schedules()

    ensure_workflow_permissions()

    install_default_wording()
    form = install_booking_form(booking)
    return {"booking": booking, "agreement": agreement, "form": form}
