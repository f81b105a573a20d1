"""The whole booking journey over HTTP: public form → admin acceptance → signing → sessions."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import RateFactory
from tests.helpers.service import booking_post, login, next_weekday, session_post
from workflows.enums import SessionStatus
from workflows.models import Agreement, Booking, Case, CaseEvent, Session

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^\s]+/b/([A-Za-z0-9_\-]+)/")


def _link_token(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_full_journey_from_request_to_confirmed_sessions(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    # 1. A school opens the profile and presses "Request supervision with Amira Hussain".
    profile = client.get(service.supervisor_a.url).content.decode()
    assert f'href="{service.form_page.url}?supervisor={service.supervisor_a.pk}"' in profile
    assert "Request supervision with Amira Hussain" in profile
    form = client.get(service.form_page.url, {"supervisor": service.supervisor_a.pk})
    assert f'<option value="{service.supervisor_a.pk}" selected>' in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(service.form_page.url, booking_post(service))
    assert response.status_code == 200
    booking = Booking.objects.get()
    assert booking.reference in response.content.decode()
    assert booking.price == Decimal("60.00")
    case = Case.objects.get(reference=booking.reference)
    assert case.state.key == "submitted"
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["jo.bloggs@hillside.example.org", "amira@example.org", "supervision-team@example.org"]
    )
    confirmation = next(m for m in mailoutbox if m.to == ["jo.bloggs@hillside.example.org"])
    assert booking.reference in confirmation.subject
    assert "Tuesday afternoons" not in confirmation.body  # no free text echoed into email

    # 2. The supervisor accepts in the admin, scheduling two sessions.
    mailoutbox.clear()
    login(client, service.user_a)
    detail = client.get(reverse("workflows_admin:case", args=[case.pk]))
    assert "Accept and schedule sessions" in detail.content.decode()
    first, second = next_weekday(7), next_weekday(35)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
            session_post([first, second], comment="Looking forward to it."),
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.state.key == "agreement_pending"
    sessions = list(Session.objects.order_by("start"))
    assert [s.status for s in sessions] == [SessionStatus.PROVISIONAL] * 2
    assert [s.start for s in sessions] == [first, second]
    assert all(s.price == Decimal("60.00") for s in sessions)
    agreement = Agreement.objects.get(booking=booking)
    assert agreement.policy_version == "2026.1"
    assert agreement.policy_revision_id is not None
    [accepted] = mailoutbox
    assert accepted.to == ["jo.bloggs@hillside.example.org"]
    token = _link_token(accepted)

    # 3. The supervisee signs through the emailed link.
    client.logout()
    mailoutbox.clear()
    portal = client.get(reverse("workflows:portal", args=[token]))
    assert portal.status_code == 200
    assert booking.reference in portal.content.decode()
    url = reverse("workflows:agreement", args=[token, agreement.pk])
    assert "Supervision agreement" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "sign", "typed_name": "Jo Bloggs", "confirm": "on"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.supervisee_signed_name == "Jo Bloggs"
    assert agreement.supervisee_signed_at is not None
    assert [m.to for m in mailoutbox] == [["amira@example.org"]]
    assert Session.objects.filter(status=SessionStatus.PROVISIONAL).count() == 2

    # 4. The supervisor countersigns in the admin; sessions are confirmed, booking is active.
    login(client, service.user_a)
    agreement_case = Case.objects.get(reference=f"{booking.reference}-A")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "workflows_admin:case_transition", args=[agreement_case.pk, "supervisor_signs"]
            ),
            {},
        )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.supervisor_signed_by == service.user_a
    case.refresh_from_db()
    assert case.state.key == "active"
    assert Session.objects.filter(status=SessionStatus.CONFIRMED).count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == [
        "amira@example.org",
        "jo.bloggs@hillside.example.org",
    ]

    history = list(CaseEvent.objects.filter(case=case).values_list("from_state", "to_state"))
    assert history == [
        ("", "Submitted"),
        ("Submitted", "Accepted: agreement pending"),
        ("Accepted: agreement pending", "Active"),
    ]


def test_price_change_after_booking_never_alters_booked_sessions(
    client, service, django_capture_on_commit_callbacks
):
    import datetime

    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    login(client, service.user_a)
    case = Case.objects.get(reference=booking.reference)
    client.post(
        reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
        session_post([next_weekday(7)]),
    )
    RateFactory(
        service=service.tree.dsl_service,
        price=Decimal("75.00"),
        valid_from=datetime.date.today(),
    )
    booking.refresh_from_db()
    assert booking.price == Decimal("60.00")
    assert Session.objects.get().price == Decimal("60.00")
