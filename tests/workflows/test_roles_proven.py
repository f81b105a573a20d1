"""Roles are proven, not taken on the caller's word (issue 17, point 7).

A step taken as the supervisee needs a live emailed link of that case's supervisee; a step
taken as the system runs from tasks (or as a follow-on of a step being applied), never from a
web request.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import supervisee_link
from tests.helpers.service import booking_post, next_weekday
from workflows.enums import Role, TokenPurpose
from workflows.errors import TransitionError
from workflows.models import Agreement, Booking, Case, CaseEvent
from workflows.services.engine import apply_transition, run_as_system

pytestmark = pytest.mark.django_db

EMAIL = "jo.bloggs@hillside.example.org"


@pytest.fixture
def agreement_case(client, service) -> Case:
    """A booking accepted by staff: its agreement waits for the supervisee's signature."""
    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    case = Case.objects.get(reference=booking.reference)
    apply_transition(
        case=case,
        transition_key="accept",
        actor=service.staff,
        role=Role.SERVICE_STAFF,
        inputs={"sessions": [{"start": next_weekday(7), "duration_minutes": 60}]},
    )
    agreement = Agreement.objects.get(booking=booking)
    return Case.objects.for_subject(agreement).get()


def _sign(case: Case, **kwargs) -> Case:
    return apply_transition(
        case=case,
        transition_key="supervisee_signs",
        actor="Jo Bloggs (supervisee)",
        role=Role.SUPERVISEE,
        **kwargs,
    )


def test_supervisee_step_with_the_supervisees_link_is_taken(agreement_case):
    case = _sign(agreement_case, link=supervisee_link(EMAIL))
    assert case.state.key == "signed_by_supervisee"
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.actor_role, event.transition_key) == (Role.SUPERVISEE, "supervisee_signs")


@pytest.mark.parametrize(
    "link",
    [
        pytest.param(lambda: None, id="no link"),
        pytest.param(lambda: supervisee_link("someone.else@example.org"), id="another person's"),
        pytest.param(
            lambda: supervisee_link(EMAIL, purpose=TokenPurpose.RECORD, object_id=1),
            id="a record link",
        ),
    ],
)
def test_supervisee_step_without_a_valid_link_for_the_case_is_refused(agreement_case, link):
    events = CaseEvent.objects.count()
    with pytest.raises(TransitionError, match="This link cannot do that"):
        _sign(agreement_case, link=link())
    agreement_case.refresh_from_db()
    assert agreement_case.state.key == "drafted"
    assert CaseEvent.objects.count() == events


def test_supervisee_step_with_an_expired_link_is_refused(agreement_case):
    link = supervisee_link(EMAIL)
    link.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    link.save()
    with pytest.raises(TransitionError, match="This link cannot do that"):
        _sign(agreement_case, link=link)
    agreement_case.refresh_from_db()
    assert agreement_case.state.key == "drafted"


def _awaiting_activation(agreement_case: Case) -> Case:
    """The booking's case, waiting in 'agreement_pending' for the system to activate it."""
    _sign(agreement_case, link=supervisee_link(EMAIL))
    booking = Agreement.objects.get(pk=agreement_case.subject_id).booking
    return Case.objects.for_subject(booking).get()


def _activate(case: Case, **kwargs) -> Case:
    return apply_transition(
        case=case, transition_key="activate", actor=None, role=Role.SYSTEM, **kwargs
    )


def test_system_step_is_refused_when_given_a_request(agreement_case):
    case = _awaiting_activation(agreement_case)
    with pytest.raises(TransitionError, match="taken automatically by the system"):
        _activate(case, request=RequestFactory().post("/"))
    case.refresh_from_db()
    assert case.state.key == "agreement_pending"


def _signal(signal, **kwargs) -> None:
    """Send a request signal as Django's test client does, keeping the test's DB connection."""
    signal.disconnect(close_old_connections)
    try:
        signal.send(sender=None, **kwargs)
    finally:
        signal.connect(close_old_connections)


def test_system_step_is_refused_while_a_request_is_served(agreement_case):
    """Django sends request_started before every request: inside one, no system step."""
    case = _awaiting_activation(agreement_case)
    _signal(request_started, environ={})
    try:
        with pytest.raises(TransitionError, match="taken automatically by the system"):
            _activate(case)
        case.refresh_from_db()
        assert case.state.key == "agreement_pending"
        with run_as_system():  # what a django-q2 task entry point (system_task) does
            assert _activate(case).state.key == "active"
    finally:
        _signal(request_finished)


def test_system_step_runs_outside_requests(agreement_case):
    case = _awaiting_activation(agreement_case)
    assert _activate(case).state.key == "active"
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.actor_role, event.actor_label) == (Role.SYSTEM, "system")
