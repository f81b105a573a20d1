"""Protected steps: the states and transitions code fires by key cannot be removed or renamed.

Each subject type declares them (workflows/subjects.py, records/subjects.py). Saving a workflow
in the Wagtail admin that loses one is refused with a message naming it, and system check
``workflows.E002`` fails when a stored workflow lacks one.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from records.defaults import install_record_data
from tests.helpers.service import login
from workflows.models import State, Transition, Workflow

pytestmark = pytest.mark.django_db


def _stream(transition: Transition) -> dict[str, Any]:
    """A transition's actions as the StreamField widget posts them."""
    data: dict[str, Any] = {}
    items = transition.actions.raw_data
    prefix = "actions"
    data[f"{prefix}-count"] = str(len(items))
    for number, item in enumerate(items):
        base = f"{prefix}-{number}"
        data[f"{base}-type"] = item["type"]
        data[f"{base}-deleted"] = ""
        data[f"{base}-order"] = str(number)
        data[f"{base}-id"] = item.get("id") or ""
        for name, value in (item.get("value") or {}).items():
            data[f"{base}-value-{name}"] = (
                [str(v) for v in value] if isinstance(value, list) else str(value)
            )
    return data


def _post_data(workflow: Workflow) -> dict[str, Any]:
    """The admin edit form's data for the workflow exactly as stored (a no-op save)."""
    data: dict[str, Any] = {
        "name": workflow.name,
        "slug": workflow.slug,
        "subject": workflow.subject,
        "description": workflow.description,
    }
    states = list(workflow.states.all())
    transitions = list(workflow.transitions.all())
    for name, rows in (("states", states), ("transitions", transitions)):
        data[f"{name}-TOTAL_FORMS"] = str(len(rows))
        data[f"{name}-INITIAL_FORMS"] = str(len(rows))
        data[f"{name}-MIN_NUM_FORMS"] = "0"
        data[f"{name}-MAX_NUM_FORMS"] = "1000"
    for number, state in enumerate(states):
        base = f"states-{number}"
        data.update(
            {
                f"{base}-id": str(state.pk),
                f"{base}-ORDER": str(number),
                f"{base}-DELETE": "",
                f"{base}-key": state.key,
                f"{base}-label": state.label,
                f"{base}-actor_roles": list(state.actor_roles),
                f"{base}-sla_days": "" if state.sla_days is None else str(state.sla_days),
            }
        )
        if state.is_initial:
            data[f"{base}-is_initial"] = "on"
        if state.is_terminal:
            data[f"{base}-is_terminal"] = "on"
    for number, transition in enumerate(transitions):
        base = f"transitions-{number}"
        data.update(
            {
                f"{base}-id": str(transition.pk),
                f"{base}-ORDER": str(number),
                f"{base}-DELETE": "",
                f"{base}-key": transition.key,
                f"{base}-label": transition.label,
                f"{base}-from_state_key": transition.from_state_key,
                f"{base}-to_state_key": transition.to_state_key,
                f"{base}-roles_allowed": list(transition.roles_allowed),
                f"{base}-inputs": list(transition.inputs),
            }
        )
        data.update({f"{base}-{k}": v for k, v in _stream(transition).items()})
    return data


def _row(data: dict[str, Any], kind: str, key: str) -> str:
    """The form prefix of the first row of this kind with this key."""
    return next(
        k[: -len("-key")]
        for k, v in sorted(data.items())
        if k.startswith(f"{kind}-") and k.endswith("-key") and v == key
    )


def _save(client: Any, workflow: Workflow, data: dict[str, Any]) -> Any:
    url = reverse("wagtailsnippets_workflows_workflow:edit", args=[workflow.pk])
    return client.post(url, data)


def _snapshot(workflow: Workflow) -> tuple[Any, ...]:
    return (
        sorted(State.objects.filter(workflow=workflow).values_list("key", "label")),
        sorted(
            Transition.objects.filter(workflow=workflow).values_list(
                "key", "from_state_key", "roles_allowed"
            )
        ),
    )


def test_saving_the_default_booking_workflow_unchanged_is_accepted(client, service):
    workflow = Workflow.objects.get(slug="booking-request")
    login(client, service.staff)
    data = _post_data(workflow)
    data[f"{_row(data, 'states', 'submitted')}-label"] = "Waiting for the team"
    response = _save(client, workflow, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert workflow.states.get(key="submitted").label == "Waiting for the team"


def test_renaming_a_protected_transition_is_refused_naming_it(client, service):
    workflow = Workflow.objects.get(slug="supervision-agreement")
    before = _snapshot(workflow)
    login(client, service.staff)
    data = _post_data(workflow)
    data[f"{_row(data, 'transitions', 'supervisee_signs')}-key"] = "supervisee_agrees"
    response = _save(client, workflow, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "The transition &#x27;supervisee_signs&#x27; from the state &#x27;drafted&#x27; is "
        "needed by the system (the supervisee signs through their emailed link) and cannot be "
        "removed or renamed" in html
    )
    assert _snapshot(workflow) == before


def test_removing_a_protected_state_is_refused_naming_it(client, service):
    workflow = Workflow.objects.get(slug="booking-request")
    before = _snapshot(workflow)
    login(client, service.staff)
    data = _post_data(workflow)
    data[f"{_row(data, 'states', 'agreement_pending')}-key"] = "waiting_for_signatures"
    for key, value in list(data.items()):
        if key.endswith("_state_key") and value == "agreement_pending":
            data[key] = "waiting_for_signatures"
    response = _save(client, workflow, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The state &#x27;agreement_pending&#x27; is needed by the system" in html
    assert _snapshot(workflow) == before


def test_dropping_a_protected_action_or_role_is_refused_naming_it(client, service):
    workflow = Workflow.objects.get(slug="booking-request")
    before = _snapshot(workflow)
    login(client, service.staff)
    data = _post_data(workflow)
    row = _row(data, "transitions", "supervisee_cancels_session")
    data[f"{row}-roles_allowed"] = ["service_staff"]
    data[f"{row}-actions-0-deleted"] = "1"
    response = _save(client, workflow, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "(supervisee_cancels_session) must stay open to: The supervisee" in html
    assert "must keep the step(s) &#x27;Cancel the chosen session&#x27;" in html
    assert _snapshot(workflow) == before


def test_the_record_workflow_keeps_its_steps(client, service):
    workflow = install_record_data()
    login(client, service.staff)
    data = _post_data(workflow)
    data[f"{_row(data, 'transitions', 'acknowledge')}-DELETE"] = "on"
    response = _save(client, workflow, data)
    assert response.status_code == 200
    assert "The transition &#x27;acknowledge&#x27; from the state &#x27;shared&#x27;" in (
        response.content.decode()
    )
    assert workflow.transitions.filter(key="acknowledge").exists()


def test_system_check_fails_when_a_stored_workflow_lacks_a_protected_step(service):
    assert [
        e for e in run_checks(include_deployment_checks=False) if e.id == "workflows.E002"
    ] == []
    workflow = Workflow.objects.get(slug="booking-request")
    Transition.objects.filter(workflow=workflow, key="activate").update(key="activate_now")
    errors = [e.msg for e in run_checks() if e.id == "workflows.E002"]
    assert errors == [
        "Workflow 'Booking request': The transition 'activate' from the state "
        "'agreement_pending' is needed by the system (the system takes it when both have "
        "signed the agreement) and cannot be removed or renamed (its key must stay the same)."
    ]
