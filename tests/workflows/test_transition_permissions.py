"""Every transition of the default workflows, tried by every role: allowed exactly as configured."""

from __future__ import annotations

import pytest

from tests.factories import supervisee_link
from tests.helpers.service import booking_post
from workflows.enums import ANY_OPEN_STATE, Role
from workflows.models import Booking, Case, State
from workflows.services.engine import ON_CREATE, TransitionError, apply_transition

pytestmark = pytest.mark.django_db

ACTORS = ["staff", "own_supervisor", "other_supervisor", "supervisee", "system"]


def _expected(roles: list[str], actor: str) -> bool:
    return {
        "staff": Role.SERVICE_STAFF in roles,
        "own_supervisor": Role.SUPERVISOR in roles,
        "other_supervisor": False,
        "supervisee": Role.SUPERVISEE in roles,
        "system": Role.SYSTEM in roles,
    }[actor]


def _call(service, case, key, actor):
    """Each actor proves its role as the app does: a signed-in user, the supervisee's emailed
    link, the system outside any request."""
    link = supervisee_link("jo.bloggs@hillside.example.org") if actor == "supervisee" else None
    who = {
        "staff": (service.staff, Role.SERVICE_STAFF),
        "own_supervisor": (service.user_a, Role.SUPERVISOR),
        "other_supervisor": (service.user_b, Role.SUPERVISOR),
        "supervisee": ("Jo Bloggs (supervisee)", Role.SUPERVISEE),
        "system": (None, Role.SYSTEM),
    }[actor]
    apply_transition(case=case, transition_key=key, actor=who[0], role=who[1], inputs={}, link=link)


def test_every_transition_against_every_role(client, service):
    from workflows.models import Workflow
    from workflows.services.agreements import create_agreement

    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    create_agreement(booking=booking, actor=None)
    checked = 0
    for workflow in Workflow.objects.filter(slug__in=["booking-request", "supervision-agreement"]):
        case = Case.objects.get(workflow=workflow)
        for transition in workflow.transitions.exclude(from_state_key=ON_CREATE):
            sources = (
                workflow.states.filter(is_terminal=False)
                if transition.from_state_key == ANY_OPEN_STATE
                else workflow.states.filter(key=transition.from_state_key)
            )
            source: State = sources.first()
            for actor in ACTORS:
                Case.objects.filter(pk=case.pk).update(state=source)
                case.refresh_from_db()
                allowed = _expected(transition.roles_allowed, actor)
                try:
                    _call(service, case, transition.key, actor)
                except TransitionError as exc:
                    refused_for_permission = "not allowed" in str(exc)
                    assert refused_for_permission != allowed, (
                        workflow.slug,
                        transition.key,
                        actor,
                        str(exc),
                    )
                else:
                    assert allowed, (workflow.slug, transition.key, actor)
                checked += 1
    assert checked == len(ACTORS) * sum(
        w.transitions.exclude(from_state_key=ON_CREATE).count()
        for w in Workflow.objects.filter(slug__in=["booking-request", "supervision-agreement"])
    )
