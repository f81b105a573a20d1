"""The engine: configuration checks, the action registry, permissions, atomic transitions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.helpers.service import booking_post, login, next_weekday, session_post
from workflows.enums import Role
from workflows.models import (
    Agreement,
    Booking,
    Case,
    CaseEvent,
    OutboundEmail,
    Session,
    State,
    Transition,
    Workflow,
)
from workflows.registry import Action, ActionRegistry
from workflows.services.engine import TransitionError, apply_transition, workflow_problems

pytestmark = pytest.mark.django_db


def _workflow(states, transitions) -> Workflow:
    # No subject: these tests are about structure, so no subject type's protected steps apply.
    wf = Workflow(name="Test", slug="test", subject="")
    wf.states = [
        State(key=k, label=k.title(), is_initial=ini, is_terminal=term) for k, ini, term in states
    ]
    wf.transitions = [
        Transition(
            key=key,
            label=key,
            from_state_key=src,
            to_state_key=dst,
            roles_allowed=roles,
            inputs=inputs,
            actions=actions,
        )
        for key, src, dst, roles, inputs, actions in transitions
    ]
    return wf


def test_valid_workflow_has_no_problems():
    wf = _workflow(
        [("a", True, False), ("b", False, True)],
        [("go", "a", "b", ["service_staff"], [], [])],
    )
    assert workflow_problems(wf) == []


@pytest.mark.parametrize(
    ("states", "transitions", "problem"),
    [
        (
            [("a", True, False), ("b", False, False), ("c", False, True)],
            [("go", "a", "c", ["service_staff"], [], [])],
            "cannot be reached from the starting state: b",
        ),
        (
            [("a", True, False), ("b", False, True)],
            [
                ("go", "a", "b", ["service_staff"], [], []),
                ("back", "b", "a", ["service_staff"], [], []),
            ],
            "starts from 'b', which is a final state",
        ),
        (
            [("a", False, False), ("b", False, True)],
            [("go", "a", "b", ["service_staff"], [], [])],
            "Exactly one state must be the starting state (found 0)",
        ),
        (
            [("a", True, False), ("b", False, True)],
            [("go", "a", "zzz", ["service_staff"], [], [])],
            "leads to an unknown state 'zzz'",
        ),
        (
            [("a", True, False), ("b", False, True)],
            [("go", "a", "b", [], [], [])],
            "has nobody allowed to make it",
        ),
        (
            [("a", True, False), ("b", False, True)],
            [("go", "a", "b", ["service_staff"], [], [{"type": "schedule_sessions", "value": {}}])],
            "needs the input 'Sessions to schedule",
        ),
    ],
)
def test_invalid_configuration_is_refused_with_a_clear_message(states, transitions, problem):
    wf = _workflow(states, transitions)
    problems = workflow_problems(wf)
    assert any(problem in p for p in problems), problems
    with pytest.raises(ValidationError) as refused:
        wf.clean()
    assert problem in str(refused.value)


def test_action_removed_from_code_is_reported_and_refused_not_skipped(client, service):
    """A stored action whose code is gone shows up as a problem and blocks the transition."""
    workflow = Workflow.objects.get(slug="booking-request")
    decline = workflow.transitions.get(key="decline")
    raw = [*decline.actions.raw_data, {"type": "launch_rockets", "value": {}, "id": "x"}]
    Transition.objects.filter(pk=decline.pk).update(actions=raw)
    from django.core.checks import run_checks

    errors = [e for e in run_checks() if e.id == "workflows.E001"]
    assert len(errors) == 1 and "launch_rockets" in errors[0].msg
    case = _submitted_case(client, service)
    with pytest.raises(TransitionError, match="unknown action 'launch_rockets'"):
        apply_transition(
            case=case,
            transition_key="decline",
            actor=service.staff,
            role=Role.SERVICE_STAFF,
            inputs={"reason": "full"},
        )
    case.refresh_from_db()
    assert case.state.key == "submitted"


def test_registry_refuses_wrong_types_and_duplicate_keys():
    registry = ActionRegistry()

    class Thing(Action):
        key = "thing"
        label = "Thing"
        description = "Does a thing."

    registry.register(Thing)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Thing)
    with pytest.raises(TypeError, match="not an Action"):
        registry.register(object)  # type: ignore[arg-type]

    class NoKey(Action):
        label = "No key"
        description = ""

    with pytest.raises((ValueError, AttributeError)):
        registry.register(NoKey)


def test_default_workflows_are_valid(service):
    for wf in Workflow.objects.all():
        assert workflow_problems(wf) == [], wf.slug


def _submitted_case(client, service) -> Case:
    client.post(service.form_page.url, booking_post(service))
    return Case.objects.get(reference=Booking.objects.get().reference)


def test_supervisor_of_another_booking_cannot_see_or_act_on_it(client, service):
    case = _submitted_case(client, service)
    login(client, service.user_b)
    assert client.get(reverse("workflows_admin:case", args=[case.pk])).status_code == 404
    url = reverse("workflows_admin:case_transition", args=[case.pk, "decline"])
    assert client.post(url, {"reason": "no"}).status_code == 404
    case.refresh_from_db()
    assert case.state.key == "submitted"
    with pytest.raises(TransitionError, match="not allowed"):
        apply_transition(
            case=case,
            transition_key="decline",
            actor=service.user_b,
            role=Role.SUPERVISOR,
            inputs={"reason": "no"},
        )


@pytest.mark.parametrize("who", ["staff", "user_a"])
def test_staff_and_own_supervisor_may_decline(
    client, service, who, mailoutbox, django_capture_on_commit_callbacks
):
    case = _submitted_case(client, service)
    login(client, getattr(service, who))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workflows_admin:case_transition", args=[case.pk, "decline"]),
            {"reason": "Our diary is full this term."},
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state.key == "declined"
    [mail] = mailoutbox
    assert mail.to == ["jo.bloggs@hillside.example.org"]
    assert "Our diary is full this term." in mail.body
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.actor, event.from_state, event.to_state, event.comment) == (
        getattr(service, who),
        "Submitted",
        "Declined",
        "Our diary is full this term.",
    )


def test_decline_without_reason_is_refused_and_changes_nothing(client, service):
    case = _submitted_case(client, service)
    login(client, service.staff)
    events = CaseEvent.objects.count()
    response = client.post(
        reverse("workflows_admin:case_transition", args=[case.pk, "decline"]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    case.refresh_from_db()
    assert case.state.key == "submitted" and CaseEvent.objects.count() == events


def test_supervisee_and_system_transitions_cannot_be_fired_by_staff(client, service):
    case = _submitted_case(client, service)
    for key, role in (("activate", Role.SERVICE_STAFF), ("accept", Role.SUPERVISEE)):
        with pytest.raises(TransitionError):
            apply_transition(case=case, transition_key=key, actor=service.staff, role=role)
    # The system step is not offered as a button either.
    login(client, service.staff)
    page = client.get(reverse("workflows_admin:case", args=[case.pk])).content.decode()
    # (The case's diagram still names the step, as part of the workflow; no button offers it.)
    activate = reverse("workflows_admin:case_transition", args=[case.pk, "activate"])
    assert f'href="{activate}"' not in page
    assert (
        client.get(
            reverse("workflows_admin:case_transition", args=[case.pk, "activate"])
        ).status_code
        == 404
    )


def test_failed_action_rolls_back_the_whole_transition(client, service):
    """Accepting with a session that clashes with another booking changes nothing at all."""
    case = _submitted_case(client, service)
    login(client, service.staff)
    slot = next_weekday(10)
    # Another booking of the same supervisor already holds the slot.
    client.post(service.form_page.url, booking_post(service, work_email="other@example.org"))
    other = Case.objects.exclude(pk=case.pk).get()
    assert (
        client.post(
            reverse("workflows_admin:case_transition", args=[other.pk, "accept"]),
            session_post([slot]),
        ).status_code
        == 302
    )
    before = (
        Session.objects.count(),
        Agreement.objects.count(),
        CaseEvent.objects.count(),
        OutboundEmail.objects.count(),
    )
    response = client.post(
        reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
        session_post([next_weekday(20), slot]),
    )
    assert response.status_code == 400
    assert "already has a session at that time" in response.content.decode()
    case.refresh_from_db()
    assert case.state.key == "submitted"
    assert (
        Session.objects.count(),
        Agreement.objects.count(),
        CaseEvent.objects.count(),
        OutboundEmail.objects.count(),
    ) == before


def test_a_transition_already_taken_by_someone_else_is_refused(client, service):
    case = _submitted_case(client, service)
    apply_transition(
        case=case,
        transition_key="decline",
        actor=service.staff,
        role=Role.SERVICE_STAFF,
        inputs={"reason": "full"},
    )
    with pytest.raises(TransitionError, match="not possible while the case is 'Declined'"):
        apply_transition(
            case=case,
            transition_key="decline",
            actor=service.staff,
            role=Role.SERVICE_STAFF,
            inputs={"reason": "again"},
        )


def test_editing_the_workflow_changes_what_a_new_case_does(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    """Staff change the starting step's emails: the next request follows the new setup."""
    workflow = Workflow.objects.get(slug="booking-request")
    start = workflow.transitions.get(key="on_request")
    start.actions = [a for a in start.actions.raw_data if a["type"] == "notify"][:1]  # school only
    start.save()
    submitted = workflow.states.get(key="submitted")
    submitted.label = "Waiting for the team"
    submitted.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(service.form_page.url, booking_post(service))
    case = Case.objects.get()
    assert case.state.label == "Waiting for the team"
    assert [m.to for m in mailoutbox] == [["jo.bloggs@hillside.example.org"]]
