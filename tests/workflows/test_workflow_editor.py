"""The workflow editor in the service's words, the diagram and the "what happens" summaries.

Everything goes through the admin as staff use it: the snippet edit screen (GET and the POST
the browser sends) and a case's screen.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.helpers.service import booking_post, login
from workflows.definition import WorkflowDefinition
from workflows.diagram import render_svg
from workflows.models import Case, EmailTemplate, Workflow

pytestmark = pytest.mark.django_db


def edit_url(workflow: Workflow) -> str:
    return reverse("wagtailsnippets_workflows_workflow:edit", args=[workflow.pk])


def workflow_form_data(workflow: Workflow) -> dict[str, Any]:
    """What the browser posts for ``workflow`` unchanged: every state, button and step."""
    data: dict[str, Any] = {
        "name": workflow.name,
        "slug": workflow.slug,
        "subject": workflow.subject,
        "description": workflow.description,
    }
    states = list(workflow.states.all())
    transitions = list(workflow.transitions.all())
    for prefix, rows in (("states", states), ("transitions", transitions)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(len(rows)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    for i, state in enumerate(states):
        row = f"states-{i}-"
        data.update(
            {
                row + "id": str(state.pk),
                row + "ORDER": str(i + 1),
                row + "DELETE": "",
                row + "key": state.key,
                row + "label": state.label,
                row + "actor_roles": list(state.actor_roles),
                row + "sla_days": "" if state.sla_days is None else str(state.sla_days),
            }
        )
        if state.is_initial:
            data[row + "is_initial"] = "on"
        if state.is_terminal:
            data[row + "is_terminal"] = "on"
    for i, transition in enumerate(transitions):
        row = f"transitions-{i}-"
        data.update(
            {
                row + "id": str(transition.pk),
                row + "ORDER": str(i + 1),
                row + "DELETE": "",
                row + "key": transition.key,
                row + "label": transition.label,
                row + "from_state_key": transition.from_state_key,
                row + "to_state_key": transition.to_state_key,
                row + "roles_allowed": list(transition.roles_allowed),
                row + "inputs": list(transition.inputs),
            }
        )
        specs = transition.action_specs()
        data[row + "actions-count"] = str(len(specs))
        for j, (key, options) in enumerate(specs):
            step = f"{row}actions-{j}-"
            data.update({step + "type": key, step + "deleted": "", step + "order": str(j)})
            if key == "notify":
                data[step + "value-template"] = str(options["template"])
                data[step + "value-recipients"] = list(options["recipients"])
    return data


def row_of(data: dict[str, Any], prefix: str, field: str, value: str) -> str:
    """The form prefix ("transitions-3-") of the row whose ``field`` is ``value``."""
    for name, current in data.items():
        match = re.fullmatch(rf"({prefix}-\d+-){field}", name)
        if match and current == value:
            return match[1]
    raise AssertionError(f"no {prefix} row with {field}={value}")


@pytest.fixture
def staff_client(client, service):
    return login(client, service.staff)


@pytest.fixture
def booking_workflow(service) -> Workflow:
    return Workflow.objects.get(slug="booking-request")


def test_editor_offers_states_as_a_choice_never_typed(staff_client, booking_workflow):
    page = BeautifulSoup(staff_client.get(edit_url(booking_workflow)).content, "html.parser")

    for field in ("from_state_key", "to_state_key"):
        assert not page.select(f"input[name$='-{field}']")
        select = page.select_one(f"select[name='transitions-1-{field}']")
        assert select is not None, field
    sources = [
        o.get_text() for o in page.select("select[name='transitions-1-from_state_key'] option")
    ]
    targets = [
        o.get_text() for o in page.select("select[name='transitions-1-to_state_key'] option")
    ]
    labels = [s.label for s in booking_workflow.states.all()]
    assert sources == [
        "Choose a state",
        *labels,
        "Any open state (every state that is not final)",
        "When a case is created (runs by itself)",
    ]
    assert targets == ["Choose a state", *labels]
    chosen = page.select_one("select[name='transitions-1-from_state_key'] option[selected]")
    # The form's second button, by its id (ties in sort_order may list rows in any order).
    shown_pk = page.select_one("input[name='transitions-1-id']")["value"]
    assert chosen["value"] == booking_workflow.transitions.get(pk=shown_pk).from_state_key


def test_editor_speaks_plain_words(staff_client, booking_workflow):
    html = staff_client.get(edit_url(booking_workflow)).content.decode()

    for plain in (
        "Target: working days a case may wait here",
        "The case is finished here",
        "Every new case starts here",
        "Who acts next",
        "Who may press it",
        "What they are asked",
        "What happens, in order",
        "Shown while the case is in",
        "Then the case moves to",
    ):
        assert plain in html, plain
    for code_word in ("Sla days", "Is terminal", "Is initial", "Actor roles", "From state key"):
        assert code_word not in html, code_word


def test_editor_panels_are_titled_by_their_label(staff_client, booking_workflow):
    page = BeautifulSoup(staff_client.get(edit_url(booking_workflow)).content, "html.parser")

    titles = [t.get_text() for t in page.select("#id_states-FORMS [data-inline-panel-title]")]
    assert titles == [s.label for s in booking_workflow.states.all()]
    buttons = [t.get_text() for t in page.select("#id_transitions-FORMS [data-inline-panel-title]")]
    assert "Decline (Submitted → Declined)" in buttons
    assert "Cancel booking (any open state → Cancelled)" in buttons
    assert len(buttons) == booking_workflow.transitions.count()
    assert not re.search(r"\b(State|Transition) \d", page.get_text())


def test_editor_shows_what_each_button_does(staff_client, booking_workflow):
    page = BeautifulSoup(staff_client.get(edit_url(booking_workflow)).content, "html.parser")

    summaries = page.select("#id_transitions-FORMS [data-what-happens]")
    assert len(summaries) == booking_workflow.transitions.count()
    decline = next(s for s in summaries if "“Decline”" in s.get_text())
    assert [li.get_text() for li in decline.select("li")] == [
        "Offered while the case is “Submitted”.",
        "Who may press it: service staff or the case's supervisor.",
        "They are asked for a reason (they must give one).",
        "Emails “Request declined” to the supervisee.",
        "The case then moves to “Declined”.",
    ]


def test_editor_shows_the_diagram_with_every_button_in_words(staff_client, booking_workflow):
    page = BeautifulSoup(staff_client.get(edit_url(booking_workflow)).content, "html.parser")

    svg = page.select_one("svg[data-workflow-diagram]")
    assert svg["role"] == "img"
    assert svg.select_one("title").get_text() == "Diagram of “Booking request”"
    drawn = {g["data-state"] for g in svg.select("g[data-state]")}
    assert drawn == {s.key for s in booking_workflow.states.all()} | {"__new__", "__any__"}
    assert not svg.select("script, style, [style]")
    rows = page.select("[data-diagram-text] [data-transition-summary]")
    assert len(rows) == booking_workflow.transitions.count()
    assert "Accept and schedule sessions: from Submitted to Accepted: agreement pending" in (
        " ".join(rows[1].get_text().split())
    )


def test_saving_unchanged_form_keeps_the_workflow(staff_client, booking_workflow):
    def snapshot() -> tuple[Any, ...]:
        definition = WorkflowDefinition.from_workflow(booking_workflow)
        return (
            sorted(definition.states, key=lambda s: s.key),
            sorted(definition.transitions, key=lambda t: (t.key, t.from_key)),
        )

    before = snapshot()

    response = staff_client.post(edit_url(booking_workflow), workflow_form_data(booking_workflow))

    assert response.status_code == 302
    assert snapshot() == before


def test_new_state_and_a_button_to_it_save_together_with_a_code_made_from_its_name(
    staff_client, booking_workflow
):
    data = workflow_form_data(booking_workflow)
    states = int(data["states-TOTAL_FORMS"])
    data["states-TOTAL_FORMS"] = str(states + 1)
    data.update({f"states-{states}-label": "Waiting for the school", f"states-{states}-key": ""})
    data[f"states-{states}-ORDER"] = str(states + 1)
    row = row_of(data, "transitions", "key", "decline")
    data[row + "to_state_key"] = "waiting_for_the_school"
    data = {k: v for k, v in data.items() if not k.startswith(row + "actions-")}
    data[row + "actions-count"] = "0"
    data[row + "inputs"] = []
    # The new state must lead somewhere: its own way out to "declined".
    transitions = int(data["transitions-TOTAL_FORMS"])
    data["transitions-TOTAL_FORMS"] = str(transitions + 1)
    new = f"transitions-{transitions}-"
    data.update(
        {
            new + "key": "give_up",
            new + "label": "Give up",
            new + "from_state_key": "waiting_for_the_school",
            new + "to_state_key": "declined",
            new + "roles_allowed": ["service_staff"],
            new + "actions-count": "0",
            new + "ORDER": str(transitions + 1),
        }
    )

    response = staff_client.post(edit_url(booking_workflow), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    state = booking_workflow.states.get(key="waiting_for_the_school")
    assert state.label == "Waiting for the school"
    decline = booking_workflow.transitions.get(key="decline")
    assert decline.to_state_key == "waiting_for_the_school"


def test_a_state_that_is_not_in_the_workflow_is_refused_and_nothing_changes(
    staff_client, booking_workflow
):
    data = workflow_form_data(booking_workflow)
    row = row_of(data, "transitions", "key", "decline")
    data[row + "to_state_key"] = "nowhere"

    response = staff_client.post(edit_url(booking_workflow), data)

    assert response.status_code == 200
    assert "Select a valid choice. nowhere is not one of the available choices." in (
        response.content.decode()
    )
    assert not booking_workflow.transitions.filter(to_state_key="nowhere").exists()


def test_supervisor_may_not_open_the_workflow_editor(client, service, booking_workflow):
    login(client, service.user_a)

    response = client.get(edit_url(booking_workflow))

    assert response.status_code in (302, 403)
    assert b"data-workflow-diagram" not in response.content


def test_case_shows_its_workflow_with_the_current_state_highlighted(client, service):
    client.post(service.form_page.url, booking_post(service))
    case = Case.objects.get()
    login(client, service.staff)

    page = BeautifulSoup(
        client.get(reverse("workflows_admin:case", args=[case.pk])).content, "html.parser"
    )

    current = page.select("svg[data-workflow-diagram] g[data-current='true']")
    assert [g["data-state"] for g in current] == ["submitted"]
    assert "(current state, start)" in current[0].get_text()
    assert "This case is now in Submitted" in " ".join(page.get_text().split())


def test_supervisor_sees_the_diagram_on_their_own_case(client, service):
    client.post(service.form_page.url, booking_post(service))
    case = Case.objects.get()
    login(client, service.user_a)

    response = client.get(reverse("workflows_admin:case", args=[case.pk]))

    assert response.status_code == 200
    assert b"data-workflow-diagram" in response.content


def test_diagram_is_deterministic_and_layered_from_the_starting_state(booking_workflow):
    definition = WorkflowDefinition.from_workflow(booking_workflow)

    first = render_svg(definition, id_prefix="x")

    assert first == render_svg(definition, id_prefix="x")
    soup = BeautifulSoup(str(first), "html.parser")

    def top(key: str) -> float:
        return float(soup.select_one(f"g[data-state='{key}'] rect")["y"])

    assert top("__new__") < top("submitted") < top("agreement_pending") < top("active")
    assert top("submitted") < top("declined") == top("more_information_needed")
    assert top("active") < top("closed")


def test_summary_says_when_a_button_keeps_the_case_and_when_an_email_has_no_recipient(
    staff_client, booking_workflow
):
    move = booking_workflow.transitions.get(key="move_session", from_state_key="active")
    move.actions = [
        ("move_session", {}),
        ("notify", {"template": EmailTemplate.objects.get(key="session-moved"), "recipients": []}),
    ]
    move.save()

    page = BeautifulSoup(staff_client.get(edit_url(booking_workflow)).content, "html.parser")

    summary = next(
        s.find_parent(attrs={"data-inline-panel-child": True})
        for s in page.select("#id_transitions-FORMS [data-inline-panel-title]")
        if s.get_text() == "Move this session (Active → Active)"
    ).select_one("[data-what-happens]")
    sentences = [li.get_text() for li in summary.select("li")]
    assert sentences[-2:] == [
        "Sends “Session moved (to supervisee and supervisor)” to nobody yet: choose who "
        "receives it.",
        "The case stays “Active”.",
    ]
    assert sentences[2] == (
        "They are asked for the sessions' dates, start times, lengths and places and an "
        "optional comment."
    )
