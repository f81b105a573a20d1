"""Exports fixtures: two supervisors' bookings, made through the public booking form (so
school and supervisee names are typed by the public), with held, cancelled and booked sessions.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.helpers.exports import (
    EVIL_SCHOOL,
    EVIL_SUPERVISEE,
    MINUS_SCHOOL,
    ExportData,
    add_sessions,
    book_through_form,
)
from tests.helpers.service import login
from workflows.enums import SessionStatus
from workflows.models import Session


@pytest.fixture
def export_data(service) -> ExportData:
    from django.test import Client

    client = Client()  # the public, not signed in
    evil = book_through_form(
        client,
        service,
        school_name=EVIL_SCHOOL,
        school_urn="111111",
        supervisee_name=EVIL_SUPERVISEE,
        work_email="evil@example.org",
    )
    hillside = book_through_form(
        client,
        service,
        school_name=MINUS_SCHOOL,
        school_urn="222222",
        supervisee_name="-Ann Smith",
        work_email="ann@example.org",
        supervisor=service.supervisor_b.pk,
        duration_minutes="90",
    )
    held_a, late_a, booked_a = add_sessions(evil, [7, 14, 21], 60)
    held_b, early_b = add_sessions(hillside, [8, 15], 90)
    # Arrange the outcomes (marking held and cancelling are tested in tests/workflows).
    Session.objects.filter(pk__in=[held_a.pk, held_b.pk]).update(status=SessionStatus.HELD)
    Session.objects.filter(pk=booked_a.pk).update(status=SessionStatus.CONFIRMED)
    for session, before in (
        (late_a, datetime.timedelta(hours=2)),
        (early_b, datetime.timedelta(days=3)),
    ):
        Session.objects.filter(pk=session.pk).update(
            status=SessionStatus.CANCELLED, cancelled_at=session.start - before
        )
    for s in (held_a, late_a, booked_a, held_b, early_b):
        s.refresh_from_db()
    today = timezone.localdate()
    return ExportData(
        service=service,
        evil=evil,
        hillside=hillside,
        held_a=held_a,
        late_a=late_a,
        booked_a=booked_a,
        held_b=held_b,
        early_b=early_b,
        date_from=today,
        date_to=today + datetime.timedelta(days=40),
    )


@pytest.fixture
def staff_client(client, service):
    return login(client, service.staff)
