"""The "Waiting for you" dashboard panel and the record-due email (issue 14, finding 5)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.workflows import SessionFactory
from tests.helpers.service import booking_post, login
from workflows.enums import SessionStatus
from workflows.models import Booking, Case

pytestmark = pytest.mark.django_db


def _panel(html: str) -> str:
    start = html.index('id="waiting-for-you-section"')
    return html[start : start + 6000]


def test_supervisor_sees_new_request_and_other_supervisor_does_not(client, service):
    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    case = Case.objects.get(reference=booking.reference)
    login(client, service.user_a)
    panel = _panel(client.get(reverse("wagtailadmin_home")).content.decode())
    assert "New requests" in panel
    assert f'href="{reverse("workflows_admin:case", args=[case.pk])}"' in panel
    login(client, service.user_b)
    panel = _panel(client.get(reverse("wagtailadmin_home")).content.decode())
    assert booking.reference not in panel
    assert "Nothing is waiting for you." in panel


def test_panel_lists_rearrangement_requests_and_records_due(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    from records.services import request_record

    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    now = timezone.now()
    held = SessionFactory(
        booking=booking,
        start=now - datetime.timedelta(hours=3),
        end=now - datetime.timedelta(hours=2),
        price=60,
        status=SessionStatus.HELD,
    )
    SessionFactory(
        booking=booking,
        start=now + datetime.timedelta(days=5),
        end=now + datetime.timedelta(days=5, hours=1),
        price=60,
        status=SessionStatus.CONFIRMED,
        reschedule_requested_at=now,
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record = request_record(session=held)
    [due] = mailoutbox
    assert due.to == ["amira@example.org"]
    assert "record" in due.subject.lower()
    assert reverse("records_admin:edit", args=[record.pk]) in due.body

    login(client, service.user_a)
    panel = _panel(client.get(reverse("wagtailadmin_home")).content.decode())
    assert "Session records due" in panel
    assert f'href="{reverse("records_admin:detail", args=[record.pk])}"' in panel
    assert "Sessions to rearrange" in panel

    case = Case.objects.get(reference=booking.reference)
    detail = client.get(reverse("workflows_admin:case", args=[case.pk])).content.decode()
    assert f'href="{reverse("records_admin:detail", args=[record.pk])}"' in detail
