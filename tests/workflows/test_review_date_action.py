"""The 'set_review_date' action reads the review date a step asks for (InputKind.REVIEW_DATE)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers.service import booking_post, login, next_weekday
from workflows.enums import InputKind, Role
from workflows.models import Agreement, Booking, Case, Workflow
from workflows.services.engine import apply_transition, workflow_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_due(client, service) -> Case:
    """An agreement whose review is due, with 'Review held' asking for the next review date."""
    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    apply_transition(
        case=Case.objects.get(reference=booking.reference),
        transition_key="accept",
        actor=service.staff,
        role=Role.SERVICE_STAFF,
        inputs={"sessions": [{"start": next_weekday(7), "duration_minutes": 60}]},
    )
    agreement = Agreement.objects.get(booking=booking)
    Agreement.objects.filter(pk=agreement.pk).update(review_reminded_at=timezone.now())
    workflow = Workflow.objects.get(slug="supervision-agreement")
    done = workflow.transitions.get(key="review_done")
    done.inputs = [InputKind.COMMENT, InputKind.REVIEW_DATE]
    done.actions = [{"type": "set_review_date", "value": {}}]
    done.save()
    case = Case.objects.for_subject(agreement).get()
    Case.objects.filter(pk=case.pk).update(state=workflow.states.get(key="review_due"))
    return case


def test_review_held_sets_the_next_review_date_through_the_admin(client, service, review_due):
    login(client, service.staff)
    next_review = timezone.localdate() + datetime.timedelta(days=180)
    url = reverse("workflows_admin:case_transition", args=[review_due.pk, "review_done"])
    response = client.post(url, {"comment": "", "review_date": next_review.isoformat()})
    assert response.status_code == 302
    agreement = Agreement.objects.get(pk=review_due.subject_id)
    assert (agreement.review_date, agreement.review_reminded_at) == (next_review, None)


def test_review_date_in_the_past_is_refused_and_changes_nothing(client, service, review_due):
    login(client, service.staff)
    before = Agreement.objects.get(pk=review_due.subject_id).review_date
    url = reverse("workflows_admin:case_transition", args=[review_due.pk, "review_done"])
    response = client.post(url, {"review_date": "2020-01-01"})
    assert response.status_code == 400
    assert "The review date must be in the future." in response.content.decode()
    assert Agreement.objects.get(pk=review_due.subject_id).review_date == before
    review_due.refresh_from_db()
    assert review_due.state.key == "review_due"


def test_the_action_needs_the_review_date_input(service):
    workflow = Workflow.objects.get(slug="supervision-agreement")
    done = workflow.transitions.get(key="review_done")
    done.actions = [{"type": "set_review_date", "value": {}}]
    done.save()
    assert workflow_problems(workflow) == [
        "Transition 'Review held': the action 'Set the agreement's next review date' needs "
        "the input 'An agreement review date'; tick it under inputs."
    ]
